CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE t (m mood);
