CREATE TABLE t (b text);
CREATE INDEX t_b ON t (b text_pattern_ops);
