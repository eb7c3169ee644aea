CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));
CREATE VIEW v AS SELECT id, name FROM t WHERE id > 10;
