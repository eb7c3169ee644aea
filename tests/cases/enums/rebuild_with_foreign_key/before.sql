CREATE TYPE mood AS ENUM ('a', 'b', 'c');
CREATE TABLE p (m mood PRIMARY KEY);
CREATE TABLE c (m mood REFERENCES p);
INSERT INTO p VALUES ('a'), ('b');
INSERT INTO c VALUES ('a');
