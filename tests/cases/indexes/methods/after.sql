CREATE TABLE t (a int, j jsonb, r int4range);
CREATE INDEX t_hash ON t USING hash (a);
CREATE INDEX t_gin ON t USING gin (j jsonb_path_ops);
CREATE INDEX t_brin ON t USING brin (a) WITH (pages_per_range = 16);
CREATE INDEX t_gist ON t USING gist (r);
