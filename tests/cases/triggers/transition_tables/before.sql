CREATE TABLE t (id int, at timestamptz);
