CREATE COLLATION plain (provider = libc, locale = 'POSIX');
CREATE DOMAIN name_ AS text COLLATE plain CONSTRAINT not_blank CHECK (VALUE <> '');
COMMENT ON CONSTRAINT not_blank ON DOMAIN name_ IS 'something';
CREATE TYPE pair AS (a text COLLATE plain, b int);
CREATE TABLE t (n name_, p pair, s text COLLATE plain);
INSERT INTO t VALUES ('x', ROW('y', 1), 'z');
