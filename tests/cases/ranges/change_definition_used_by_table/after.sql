CREATE TYPE span AS RANGE (SUBTYPE = int8);
COMMENT ON TYPE span IS 'a stretch';
CREATE TABLE t (
    id int,
    s span DEFAULT span(0, 10) CHECK (NOT isempty(s)),
    ss span[],
    m span_multirange
);
CREATE INDEX t_s ON t USING gist (s);
CREATE VIEW v AS SELECT id, s FROM t;
INSERT INTO t VALUES (1, span(1, 5), ARRAY[span(1, 2), span(3, 4)], span_multirange(span(1, 2))),
                     (2, NULL, NULL, NULL);
