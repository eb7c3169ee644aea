CREATE TABLE t (
    day integer,
    flag boolean,
    small boolean,
    doc integer,
    id bytea
);
