CREATE TYPE mood AS ENUM ('b', 'a');
CREATE TABLE t (m mood CONSTRAINT not_a CHECK (m <> 'a'));
CREATE INDEX t_m ON t (m) WHERE m = 'b';
