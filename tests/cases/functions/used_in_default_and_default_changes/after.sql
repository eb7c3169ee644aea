CREATE FUNCTION pick(a int) RETURNS bigint LANGUAGE sql AS 'SELECT a::bigint';
CREATE TABLE t (n int DEFAULT pick(2));
