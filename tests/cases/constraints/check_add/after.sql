CREATE TABLE t (a int CONSTRAINT positive CHECK (a > 0));
