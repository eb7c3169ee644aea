CREATE TYPE mood AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int, m mood);
CREATE VIEW v AS SELECT id, m FROM t WHERE m <> 'a';
