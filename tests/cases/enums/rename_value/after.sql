CREATE TYPE mood AS ENUM ('sad', 'fine', 'happy');
CREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'fine' CHECK (m <> 'sad'), ms mood[]);
CREATE INDEX t_m ON t (m) WHERE m = 'fine';
CREATE VIEW v AS SELECT id FROM t WHERE m = 'fine';
INSERT INTO t VALUES (1, 'fine', '{fine,happy}'), (2, 'happy', NULL);
