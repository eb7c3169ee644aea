CREATE TABLE t (a int CONSTRAINT positive CHECK (a > 0));
COMMENT ON CONSTRAINT positive ON t IS 'no negatives';
