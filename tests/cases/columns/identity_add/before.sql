CREATE TABLE t (id int NOT NULL, x int);
