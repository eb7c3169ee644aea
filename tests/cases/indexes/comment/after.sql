CREATE TABLE t (a int);
CREATE INDEX t_i ON t (a);
COMMENT ON INDEX t_i IS 'by a';
