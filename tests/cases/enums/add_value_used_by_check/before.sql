CREATE TYPE mood AS ENUM ('a');
CREATE TABLE t (m mood);
