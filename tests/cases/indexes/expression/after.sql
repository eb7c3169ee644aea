CREATE TABLE t (a int, b text);
CREATE INDEX t_lower_b ON t (lower(b), (a + 1));
