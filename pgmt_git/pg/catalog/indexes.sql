-- Standalone indexes: those made by a primary key, unique or exclusion constraint belong to
-- the constraint, and partitions' copies of a partitioned index to that index.
--
-- The definition is pg_get_indexdef's text. For a plain index (most indexes) the loader
-- writes that text itself, as pg_get_indexdef does: the function deparses with the table
-- open, tens of microseconds an index, more on a server that has not opened the table yet;
-- and looking up each key's column here, to tell whether an index is plain, was half of
-- this query's time (the loader has the columns already). Plain: an index of a table that
-- is not partitioned, on key columns only (no expression, no INCLUDE, no storage parameter,
-- no column option), each with its type's own default operator class, in the column's
-- collation, ordered (DESC, NULLS FIRST/LAST) only by btree, and with nulls distinct (a
-- column from PostgreSQL 15 on, so read by name). This query sends a candidate's keys (the
-- loader checks each against its column and index_support.sql) and deparses every other
-- index; the loader asks the server for the definitions of candidates that are not plain,
-- and the WHERE of a partial index is deparsed here.
WITH found AS (
  SELECT i.indexrelid, i.indrelid, i.indkey, i.indclass, i.indcollation, i.indoption,
         i.indisunique, pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
         i.indnkeyatts = i.indnatts AND i.indexprs IS NULL AND ic.relkind = 'i'
           AND ic.reloptions IS NULL
           AND (NOT i.indisunique
                OR pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct' IS DISTINCT FROM 'true')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_attribute ia
                            WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL)
           AS candidate,
         ic.relname AS name, c.relname AS table_name, n.nspname AS schema_name,
         am.amname AS method, ds.description AS comment
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_am am ON am.oid = ic.relam
    LEFT JOIN pg_catalog.pg_description ds
           ON ds.objoid = i.indexrelid
          AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = 0
   WHERE c.relkind IN ('r', 'p', 'm')
     AND c.relpersistence <> 't'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\_toast%'
     AND n.nspname NOT LIKE 'pg\_temp\_%'
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con
                      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                        AND con.contype IN ('p', 'u', 'x'))
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
)
SELECT f.indexrelid AS oid,
       f.indrelid AS relid,
       f.name,
       CASE WHEN NOT f.candidate THEN pg_catalog.pg_get_indexdef(f.indexrelid) END
         AS definition,
       CASE WHEN f.candidate THEN f.indkey::pg_catalog.int2[] END AS keys,
       CASE WHEN f.candidate THEN f.indclass::pg_catalog.oid[] END AS opclasses,
       CASE WHEN f.candidate THEN f.indcollation::pg_catalog.oid[] END AS collations,
       CASE WHEN f.candidate THEN f.indoption::pg_catalog.int2[] END AS options,
       f.indisunique AS "unique",
       f.method,
       f.predicate,
       f.comment
  FROM found f
 ORDER BY f.schema_name, f.name
