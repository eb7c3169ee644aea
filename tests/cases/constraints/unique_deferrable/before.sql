CREATE TABLE t (a int, CONSTRAINT t_a_key UNIQUE (a));
