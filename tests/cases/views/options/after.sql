CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));

CREATE VIEW v WITH (security_barrier = true, security_invoker = true) AS SELECT id FROM t;
