CREATE TABLE t (a jsonb DEFAULT '{}'::jsonb);
