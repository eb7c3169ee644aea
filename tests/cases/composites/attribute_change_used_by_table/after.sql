CREATE TYPE pair AS (a int, b int, c int);
CREATE TABLE t (p pair);
