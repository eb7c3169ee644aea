CREATE FUNCTION add_it(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE AGGREGATE my_sum(int) (SFUNC = add_it, STYPE = int, INITCOND = '0');
