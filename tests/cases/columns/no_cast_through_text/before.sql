CREATE TABLE t (
    day date,
    flag integer,
    small smallint,
    doc jsonb,
    id uuid
);
