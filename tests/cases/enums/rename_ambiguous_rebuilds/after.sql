-- 'b' removed and 'd' added elsewhere: not a rename, the type is rebuilt.
CREATE TYPE mood AS ENUM ('a', 'c', 'd');
CREATE TABLE t (m mood);
INSERT INTO t VALUES ('a'), ('c');
