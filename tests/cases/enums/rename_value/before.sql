CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok' CHECK (m <> 'sad'), ms mood[]);
CREATE INDEX t_m ON t (m) WHERE m = 'ok';
CREATE VIEW v AS SELECT id FROM t WHERE m = 'ok';
INSERT INTO t VALUES (1, 'ok', '{ok,happy}'), (2, 'happy', NULL);
