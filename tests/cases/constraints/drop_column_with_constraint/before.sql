CREATE TABLE t (a int, b int CHECK (b > a), UNIQUE (b));
