CREATE TABLE t (m text);
