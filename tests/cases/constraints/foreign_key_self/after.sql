CREATE TABLE t (id int PRIMARY KEY, parent int REFERENCES t);
