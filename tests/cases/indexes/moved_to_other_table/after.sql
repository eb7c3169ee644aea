CREATE TABLE t (a int);
CREATE TABLE u (a int);
CREATE INDEX i ON u (a);
