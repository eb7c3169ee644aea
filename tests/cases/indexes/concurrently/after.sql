CREATE TABLE t (a int, b int);
CREATE UNIQUE INDEX t_a ON t (a);
