CREATE TYPE "sta tus" AS ENUM ('new', 'it''s', 'done');
COMMENT ON TYPE "sta tus" IS 'workflow';
CREATE TABLE t (s "sta tus" DEFAULT 'new');
INSERT INTO t VALUES ('new'), ('it''s'), ('done');
