CREATE SEQUENCE s;
CREATE TABLE t (a bigint DEFAULT nextval('s'));
