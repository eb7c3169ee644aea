CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL CONSTRAINT positive CHECK (VALUE > 0);
CREATE DOMAIN code AS text COLLATE "C" CHECK (VALUE ~ '^[A-Z]+$') CHECK (length(VALUE) < 10);
CREATE TABLE t (n posint, c code);
COMMENT ON DOMAIN posint IS 'positive';
COMMENT ON CONSTRAINT positive ON DOMAIN posint IS 'above zero';
