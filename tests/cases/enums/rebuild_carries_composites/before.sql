CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE entry AS (at date, m mood, ms mood[]);
COMMENT ON COLUMN entry.m IS 'how it felt';
CREATE TYPE unused AS (m mood);
CREATE TABLE diary (id int, e entry, es entry[]);
CREATE FUNCTION feeling(e entry) RETURNS mood LANGUAGE sql IMMUTABLE RETURN e.m;
INSERT INTO diary VALUES (1, ROW('2024-01-02', 'ok', '{ok,sad}'), ARRAY[ROW(NULL, 'happy', NULL)::entry]);
