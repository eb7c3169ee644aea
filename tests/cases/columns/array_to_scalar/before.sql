CREATE TABLE t (
    codes integer[],
    names text[],
    days date[]
);
