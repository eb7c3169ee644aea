CREATE DOMAIN code AS varchar(5);
ALTER DOMAIN code ADD CONSTRAINT upper CHECK (VALUE = upper(VALUE)) NOT VALID;
CREATE FUNCTION normal(c code) RETURNS code LANGUAGE sql IMMUTABLE RETURN upper(c);
CREATE TABLE parent (c code PRIMARY KEY);
CREATE TABLE child (
    c code REFERENCES parent,
    d code DEFAULT normal('XY'),
    n text GENERATED ALWAYS AS (lower(c)) STORED
);
INSERT INTO parent VALUES ('AB'), ('CD');
INSERT INTO child VALUES ('AB');
