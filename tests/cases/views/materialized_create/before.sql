CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));
