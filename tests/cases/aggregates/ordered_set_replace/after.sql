CREATE FUNCTION keep_step(integer[], integer) RETURNS integer[] LANGUAGE sql IMMUTABLE
  AS 'SELECT $1 || $2';
CREATE FUNCTION pick_final(integer[], double precision) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT $1[greatest(1, ceil($2 * cardinality($1))::int)]';
CREATE FUNCTION last_final(integer[], double precision) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT $1[cardinality($1)]';
CREATE AGGREGATE my_percentile(double precision ORDER BY integer) (
    SFUNC = keep_step, STYPE = integer[], INITCOND = '{}', FINALFUNC = last_final);
CREATE TABLE t (a integer);
CREATE VIEW v AS SELECT my_percentile(0.5) WITHIN GROUP (ORDER BY a) AS median FROM t;
