CREATE TABLE t (
    codes text,
    names text,
    days integer
);
