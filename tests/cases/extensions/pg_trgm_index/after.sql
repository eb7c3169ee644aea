CREATE EXTENSION pg_trgm;
CREATE TABLE t (b text);
CREATE INDEX t_b_trgm ON t USING gin (b gin_trgm_ops);
