CREATE TABLE t (a int);
CREATE TABLE u (b int);
