CREATE TABLE t (a int, b int, d text);
