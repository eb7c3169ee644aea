CREATE TABLE t (
    tag text DEFAULT 'none' NOT NULL,
    n integer,
    label character varying(20)
);
CREATE INDEX t_tag ON t (tag);
