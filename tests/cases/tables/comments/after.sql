CREATE TABLE t (a int, b int);
COMMENT ON TABLE t IS 'table t';
COMMENT ON COLUMN t.b IS 'column b';
