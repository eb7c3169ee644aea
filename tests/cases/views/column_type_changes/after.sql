CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));
CREATE VIEW v AS SELECT id, upper(name)::varchar(10) AS name FROM t;
