CREATE TABLE t (a int) WITH (fillfactor=80, toast_tuple_target=256);
