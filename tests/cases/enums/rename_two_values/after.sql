CREATE TYPE "sta tus" AS ENUM ('open', 'it''s', 'clo$ed');
COMMENT ON TYPE "sta tus" IS 'workflow';
CREATE TABLE t (s "sta tus" DEFAULT 'open');
INSERT INTO t VALUES ('open'), ('it''s'), ('clo$ed');
