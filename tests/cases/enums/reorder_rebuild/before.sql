CREATE TYPE mood AS ENUM ('a', 'b', 'c');
CREATE TABLE t (m mood DEFAULT 'b');
