CREATE TABLE t (b text);
