CREATE FUNCTION inc(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
CREATE AGGREGATE my_count(*) (SFUNC = inc, STYPE = integer, INITCOND = '0');
COMMENT ON AGGREGATE my_count(*) IS 'Counts rows, by hand';
REVOKE EXECUTE ON FUNCTION my_count() FROM PUBLIC;
