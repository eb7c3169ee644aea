CREATE FUNCTION avg_step(numeric[], numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE
  AS 'SELECT ARRAY[$1[1] + $2, $1[2] + 1]';
CREATE FUNCTION avg_final(numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $1[2] = 0 THEN NULL ELSE $1[1] / $1[2] END';
CREATE AGGREGATE my_avg(numeric) (SFUNC = avg_step, STYPE = numeric[], FINALFUNC = avg_final, INITCOND = '{0,0}');
