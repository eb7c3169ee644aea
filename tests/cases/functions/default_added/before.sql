CREATE FUNCTION f(x int, y int) RETURNS int LANGUAGE sql AS 'SELECT x + y';
