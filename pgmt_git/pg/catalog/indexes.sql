-- Standalone indexes: those made by a primary key, unique or exclusion constraint belong to
-- the constraint, and partitions' copies of a partitioned index to that index.
--
-- The definition is pg_get_indexdef's text. For a plain index (most indexes) this query
-- writes that text itself, as pg_get_indexdef does: the function deparses with the table
-- open, tens of microseconds an index, more on a server that has not opened the table yet.
-- Plain: an index of a table that is not partitioned, on key columns only (no expression,
-- no INCLUDE, no storage parameter), each with its type's own default operator class
-- without options, in the column's collation, ordered (DESC, NULLS FIRST/LAST) only by
-- btree, and with nulls distinct (a column from PostgreSQL 15 on, so read by name). Every
-- other index, and the WHERE of a partial one, is deparsed by the server.
WITH found AS (
  SELECT i.indexrelid, i.indrelid, i.indkey, i.indclass, i.indcollation, i.indoption,
         i.indisunique, pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
         i.indnkeyatts = i.indnatts AND i.indexprs IS NULL AND ic.relkind = 'i'
           AND ic.reloptions IS NULL
           AND (NOT i.indisunique
                OR pg_catalog.to_jsonb(i) ->> 'indnullsnotdistinct' IS DISTINCT FROM 'true')
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
), keys AS (
  SELECT f.indexrelid,
         pg_catalog.bool_and(coalesce(o.opcdefault AND o.opcintype = a.atttypid
                                      AND k.coll = a.attcollation AND ia.attoptions IS NULL
                                      AND (k.option = 0 OR f.method = 'btree'), false))
           AS plain,
         pg_catalog.string_agg(
           pg_catalog.quote_ident(a.attname)
             || CASE WHEN k.option::pg_catalog.int4 & 1 = 0 THEN  -- ascending
                  CASE WHEN k.option::pg_catalog.int4 & 2 = 0 THEN '' ELSE ' NULLS FIRST' END
                WHEN k.option::pg_catalog.int4 & 2 = 0 THEN ' DESC NULLS LAST'
                ELSE ' DESC' END,
           ', ' ORDER BY k.n) AS columns
    FROM found f
   CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(f.indkey::pg_catalog.int2[]),
                                 pg_catalog.unnest(f.indclass::pg_catalog.oid[]),
                                 pg_catalog.unnest(f.indcollation::pg_catalog.oid[]),
                                 pg_catalog.unnest(f.indoption::pg_catalog.int2[]))
         WITH ORDINALITY AS k(attnum, opclass, coll, option, n)
   -- Looked up one key at a time (OFFSET 0 keeps the planner from scanning all of
   -- pg_attribute twice instead). An expression key (attnum 0) has no attribute: its
   -- index is not plain.
    LEFT JOIN LATERAL (SELECT a.attname, a.atttypid, a.attcollation
                         FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = f.indrelid AND a.attnum = k.attnum
                       OFFSET 0) a ON true
    LEFT JOIN LATERAL (SELECT ia.attoptions
                         FROM pg_catalog.pg_attribute ia
                        WHERE ia.attrelid = f.indexrelid AND ia.attnum = k.n
                       OFFSET 0) ia ON true
    LEFT JOIN pg_catalog.pg_opclass o ON o.oid = k.opclass
   WHERE f.candidate
   GROUP BY f.indexrelid
)
SELECT f.indexrelid AS oid,
       f.indrelid AS relid,
       f.name,
       CASE WHEN keys.plain THEN
         'CREATE ' || CASE WHEN f.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
           || pg_catalog.quote_ident(f.name) || ' ON '
           || pg_catalog.quote_ident(f.schema_name) || '.'
           || pg_catalog.quote_ident(f.table_name)
           || ' USING ' || pg_catalog.quote_ident(f.method) || ' (' || keys.columns || ')'
           || coalesce(' WHERE ' || f.predicate, '')
       ELSE pg_catalog.pg_get_indexdef(f.indexrelid)
       END AS definition,
       f.indisunique AS "unique",
       f.method,
       f.predicate,
       f.comment
  FROM found f
  LEFT JOIN keys ON keys.indexrelid = f.indexrelid
 ORDER BY f.schema_name, f.name
