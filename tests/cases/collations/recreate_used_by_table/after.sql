CREATE COLLATION plain (provider = libc, locale = 'POSIX');
COMMENT ON COLLATION plain IS 'byte order';
CREATE TABLE t (
    id int,
    name text COLLATE plain NOT NULL DEFAULT 'x' CHECK (name > 'a'),
    tags text[] COLLATE plain,
    code varchar(10) COLLATE plain
);
CREATE INDEX t_name ON t (name);
CREATE INDEX t_code ON t (code COLLATE plain);
CREATE VIEW v AS SELECT id, name FROM t;
INSERT INTO t VALUES (1, 'b', '{x,y}', 'c1'), (2, 'c', NULL, NULL);
