CREATE TABLE t (a int, b int[], p point, "Odd name" text);
CREATE INDEX t_a ON t (a) WITH (fillfactor = 80, deduplicate_items = off);
CREATE INDEX t_b ON t USING gin (b) WITH (gin_pending_list_limit = 256);
CREATE INDEX t_p ON t USING gist (p) WITH (buffering = on, fillfactor = 50);
CREATE INDEX "t odd" ON t ("Odd name") WHERE ("Odd name" <> 'WITH (x)');
COMMENT ON INDEX t_a IS 'by column a';
