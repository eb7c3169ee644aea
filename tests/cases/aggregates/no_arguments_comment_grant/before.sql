CREATE FUNCTION inc(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
CREATE AGGREGATE my_count(*) (SFUNC = inc, STYPE = integer, INITCOND = '0');
