CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (id int, m mood NOT NULL DEFAULT 'ok', ms mood[]);
CREATE TABLE u (m mood);
