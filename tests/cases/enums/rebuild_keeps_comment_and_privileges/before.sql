CREATE TYPE mood AS ENUM ('a', 'b', 'c');
COMMENT ON TYPE mood IS 'feelings';
REVOKE USAGE ON TYPE mood FROM PUBLIC;
CREATE TABLE t (m mood);
