CREATE TYPE pair AS (a int, b text COLLATE "C");
CREATE TABLE t (p pair, ps pair[]);
COMMENT ON TYPE pair IS 'two things';
COMMENT ON COLUMN pair.a IS 'first';
