CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN feeling AS mood NOT NULL DEFAULT 'ok' CONSTRAINT not_sad CHECK (VALUE <> 'sad');
COMMENT ON DOMAIN feeling IS 'a mood that is set';
CREATE DOMAIN feelings AS mood[];
CREATE TABLE t (id int, f feeling, fs feelings, history feeling[], m mood);
CREATE INDEX t_f ON t (f);
CREATE VIEW v AS SELECT id, f FROM t WHERE f::mood = 'happy';
INSERT INTO t VALUES (1, 'ok', '{ok,happy}', '{happy}', 'happy');
