CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql STABLE SECURITY DEFINER LEAKPROOF COST 5
  SET search_path = pg_catalog, public SET work_mem = '64MB' AS 'SELECT x';
