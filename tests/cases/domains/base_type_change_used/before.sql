CREATE DOMAIN amount AS integer DEFAULT 0 CONSTRAINT positive CHECK (VALUE >= 0);
COMMENT ON DOMAIN amount IS 'money in cents';
CREATE TABLE t (
    id int PRIMARY KEY,
    a amount NOT NULL DEFAULT 1 CONSTRAINT small CHECK (a < 1000000),
    history amount[]
);
CREATE INDEX t_a ON t (a) WHERE a > 10;
CREATE VIEW v AS SELECT id, a FROM t;
INSERT INTO t VALUES (1, 5, '{1,2}'), (2, 50, NULL);
