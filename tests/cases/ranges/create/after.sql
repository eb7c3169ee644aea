CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
CREATE TABLE t (r floatrange, rs floatmultirange);
COMMENT ON TYPE floatrange IS 'floats';
