CREATE TYPE mood AS ENUM ('a');
CREATE TABLE t (id int, m mood);
