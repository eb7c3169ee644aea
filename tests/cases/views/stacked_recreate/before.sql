CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));

CREATE VIEW v1 AS SELECT id, name FROM t;
CREATE VIEW v2 AS SELECT id FROM v1;
CREATE VIEW v3 AS SELECT v2.id, v1.name FROM v2 JOIN v1 USING (id);
