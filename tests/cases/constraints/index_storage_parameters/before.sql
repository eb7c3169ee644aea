CREATE TABLE t (
    id int,
    code text,
    span box,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_code UNIQUE (code) WITH (fillfactor = 70, deduplicate_items = off) DEFERRABLE,
    CONSTRAINT t_span EXCLUDE USING gist (span WITH &&) WITH (fillfactor = 70)
);
