CREATE TYPE point2 AS (x bigint, y integer, label text);
COMMENT ON COLUMN point2.x IS 'across';
CREATE TABLE t (id int, p point2 DEFAULT ROW(0, 0, 'origin'), path point2[]);
CREATE INDEX t_px ON t (((p).x));
CREATE VIEW v AS SELECT id, (p).x FROM t;
INSERT INTO t VALUES (1, ROW(1, 2, 'a'), ARRAY[ROW(1, 2, 'a')::point2, ROW(3, 4, NULL)::point2]),
                     (2, NULL, NULL);
