CREATE COLLATION plain (provider = libc, locale = 'C');
CREATE TABLE t (a text COLLATE plain);
COMMENT ON COLLATION plain IS 'bytes';
