CREATE TYPE mood AS ENUM ('a', 'b', 'c');
CREATE TABLE t (m mood CONSTRAINT not_a CHECK (m <> 'a'));
CREATE INDEX t_m ON t (m) WHERE m = 'b';
