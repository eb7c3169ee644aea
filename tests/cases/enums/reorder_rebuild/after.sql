CREATE TYPE mood AS ENUM ('c', 'b', 'a');
CREATE TABLE t (m mood DEFAULT 'b');
