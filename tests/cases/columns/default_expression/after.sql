CREATE TABLE t (a timestamptz DEFAULT (now() + interval '1 day'));
