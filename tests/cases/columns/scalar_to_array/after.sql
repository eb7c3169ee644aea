CREATE TABLE t (
    tag text[] DEFAULT '{}' NOT NULL,
    n bigint[],
    label text[]
);
CREATE INDEX t_tag ON t (tag);
