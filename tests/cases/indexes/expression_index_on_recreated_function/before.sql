CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)';
CREATE TABLE t (a text);
CREATE INDEX t_norm ON t (norm(a));
