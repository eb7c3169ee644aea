CREATE TABLE t (a int);
CREATE INDEX t_i ON t (a);
