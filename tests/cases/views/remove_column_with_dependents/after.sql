CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));

CREATE VIEW v1 AS SELECT id, name FROM t;
CREATE VIEW v2 AS SELECT id, name FROM v1;
COMMENT ON VIEW v2 IS 'kept comment';
