CREATE FUNCTION keep_step(integer[], integer) RETURNS integer[] LANGUAGE sql IMMUTABLE
  AS 'SELECT $1 || $2';
CREATE FUNCTION pick_final(integer[], double precision) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT $1[greatest(1, ceil($2 * cardinality($1))::int)]';
CREATE AGGREGATE my_percentile(fraction double precision ORDER BY value integer) (
    SFUNC = keep_step, STYPE = integer[], INITCOND = '{}', FINALFUNC = pick_final);
COMMENT ON AGGREGATE my_percentile(double precision ORDER BY integer) IS 'a percentile';
CREATE AGGREGATE my_disc(double precision ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE TABLE t (a integer);
CREATE VIEW v AS SELECT my_percentile(0.5) WITHIN GROUP (ORDER BY a) AS median FROM t;
