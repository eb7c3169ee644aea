-- The sequences of identity columns (each internal to its column, so not in sequences.sql),
-- by column: one join here rather than a lookup for each identity column in columns.sql,
-- which cost that query a third of its time. The option columns are sequences.sql's, read
-- by the same code.
SELECT d.refobjid AS relid,
       d.refobjsubid AS attnum,
       n.nspname AS schema,
       c.relname AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
  JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND d.refobjsubid > 0
   AND d.deptype = 'i'
