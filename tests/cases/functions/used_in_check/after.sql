CREATE FUNCTION ok(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE TABLE t (a int CHECK (ok(a)));
CREATE INDEX t_ok ON t (a) WHERE ok(a);
