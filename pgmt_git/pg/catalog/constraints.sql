-- Table constraints declared on the table itself: inherited copies (partitions, children)
-- come with their parent's constraint and are skipped.
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
       CASE WHEN con.contype IN ('p', 'u') THEN
         (SELECT ic.reloptions FROM pg_catalog.pg_class ic WHERE ic.oid = con.conindid)
       END AS index_options,
       ARRAY(SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
               JOIN pg_catalog.pg_attribute a
                 ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.position) AS columns,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       ARRAY(SELECT a.attname
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
               JOIN pg_catalog.pg_attribute a
                 ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.position) AS ref_columns,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confmatchtype AS match,
       ds.description AS comment
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
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
 ORDER BY n.nspname, c.relname, con.conname
