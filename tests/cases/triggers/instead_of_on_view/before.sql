CREATE TABLE t (id int, at timestamptz);
CREATE VIEW v AS SELECT id FROM t;
