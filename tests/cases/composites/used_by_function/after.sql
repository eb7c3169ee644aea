CREATE TYPE pair AS (a int, b int);
CREATE FUNCTION sum_pair(p pair) RETURNS int LANGUAGE sql AS 'SELECT p.a + p.b';
