CREATE TABLE t (a bigint);
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_a2 ON t (a) WHERE a > 0;
