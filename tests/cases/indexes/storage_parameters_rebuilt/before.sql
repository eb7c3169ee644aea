CREATE TABLE t (a int);
CREATE INDEX t_a ON t USING brin (a) WITH (pages_per_range = 32);
