CREATE TABLE t (a int);
COMMENT ON COLUMN t.a IS 'one';
