CREATE TABLE public.everything (
    i2 smallint, i4 integer, i8 bigint, n numeric, n2 numeric(12,3), r real, d double precision,
    t text, v varchar(40), c char(3), b boolean, ts timestamp(3), tz timestamptz, dt date,
    tm time, iv interval, u uuid, j json, jb jsonb, by bytea, ip inet, bits bit(4),
    arr int[], arr2 text[][], rng int4range, x xml, money_ money, pt point
);
