CREATE TABLE t (a int) WITH (fillfactor=80, autovacuum_enabled=false);
