CREATE TABLE t (a varchar(20));
