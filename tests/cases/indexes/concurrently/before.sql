CREATE TABLE t (a int, b int);
CREATE INDEX t_old ON t (b);
