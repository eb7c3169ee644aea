CREATE TABLE t (a varchar(10));
