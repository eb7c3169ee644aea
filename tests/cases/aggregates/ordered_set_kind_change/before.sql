CREATE FUNCTION keep_step(integer[], integer) RETURNS integer[] LANGUAGE sql IMMUTABLE
  AS 'SELECT $1 || $2';
CREATE FUNCTION keep_both(integer[], integer, integer) RETURNS integer[] LANGUAGE sql IMMUTABLE
  AS 'SELECT $1 || $3';
CREATE FUNCTION rank_of(integer[], integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT cardinality($1)';
CREATE FUNCTION count_of(integer[]) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT cardinality($1)';
CREATE FUNCTION rank_of2(integer[], integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT cardinality($1)';
-- plain <-> ordered-set over the same argument types
CREATE AGGREGATE a_kind(integer, integer) (SFUNC = keep_both, STYPE = integer[],
    FINALFUNC = count_of);
-- ordered-set <-> hypothetical-set
CREATE AGGREGATE a_hypo(integer ORDER BY integer) (
    SFUNC = keep_step, STYPE = integer[], FINALFUNC = rank_of);
-- one direct argument <-> two
CREATE AGGREGATE a_direct(integer ORDER BY integer, integer) (
    SFUNC = keep_both, STYPE = integer[], FINALFUNC = rank_of);
CREATE TABLE t (a integer);
CREATE VIEW v AS SELECT a_hypo(1) WITHIN GROUP (ORDER BY a) AS r FROM t;
