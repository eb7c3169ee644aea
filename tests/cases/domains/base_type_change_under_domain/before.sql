CREATE DOMAIN amount AS integer;
CREATE DOMAIN positive AS amount CHECK (VALUE > 0);
CREATE TABLE t (a amount, p positive, ps positive[]);
INSERT INTO t VALUES (-1, 2, '{3,4}');
