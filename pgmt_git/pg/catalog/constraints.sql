-- Table constraints declared on the table itself: inherited copies (partitions, children)
-- come with their parent's constraint and are skipped. Key columns are attribute numbers
-- (conkey, confkey): the loader names them from the columns it read, which costs the server
-- nothing.
SELECT con.oid,
       con.conrelid AS relid,
       con.conname AS name,
       con.contype AS type,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       con.convalidated AS validated,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.conindid AS index_oid,
       -- pg_get_constraintdef leaves out a primary key's or unique constraint's index
       -- storage parameters (an exclusion constraint's are in its text).
       CASE WHEN con.contype IN ('p', 'u') THEN ic.reloptions END AS index_options,
       con.conkey AS columns,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       con.confrelid AS ref_relid,
       con.confkey AS ref_columns,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confmatchtype AS match,
       ds.description AS comment
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_class ic ON ic.oid = con.conindid
  LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = con.oid AND ds.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
   AND con.conislocal
   AND con.conparentid = 0
   AND c.relkind IN ('r', 'p')
   AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
