CREATE TABLE t (a int, b text NOT NULL DEFAULT '');
