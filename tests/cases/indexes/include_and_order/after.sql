CREATE TABLE t (a int, b text, c int);
CREATE INDEX t_ab ON t (a DESC NULLS LAST, b COLLATE "C") INCLUDE (c);
