CREATE TABLE t (a int, j jsonb, r int4range);
