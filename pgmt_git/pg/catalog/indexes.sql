-- Standalone indexes: those made by a primary key, unique or exclusion constraint belong to
-- the constraint, and partitions' copies of a partitioned index to that index.
SELECT i.indexrelid AS oid,
       i.indrelid AS relid,
       ic.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       i.indisunique AS "unique",
       am.amname AS method,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ds.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = i.indexrelid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'm')
   AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con
                    WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                      AND con.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
 ORDER BY n.nspname, ic.relname
