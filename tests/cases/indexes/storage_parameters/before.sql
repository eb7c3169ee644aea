CREATE TABLE t (a int, b int[], p point, "Odd name" text);
CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off);
CREATE INDEX t_b ON t USING gin (b) WITH (fastupdate = off, gin_pending_list_limit = 128);
CREATE INDEX t_p ON t USING gist (p);
CREATE INDEX "t odd" ON t ("Odd name") WITH (fillfactor = 60) WHERE ("Odd name" <> 'WITH (x)');
COMMENT ON INDEX t_a IS 'by a';
