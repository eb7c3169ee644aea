CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(10,2));

CREATE MATERIALIZED VIEW mv AS SELECT id, name FROM t;
CREATE UNIQUE INDEX mv_id ON mv (id);
CREATE INDEX mv_name ON mv (name);
