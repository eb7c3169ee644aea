-- Tables and partitioned tables (columns come from columns.sql).
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind AS relkind,
       c.relpersistence = 'u' AS unlogged,
       coalesce(c.reloptions, '{}') AS reloptions,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       c.relreplident AS replica_identity,
       (SELECT ri.relname FROM pg_catalog.pg_index x
          JOIN pg_catalog.pg_class ri ON ri.oid = x.indexrelid
         WHERE x.indrelid = c.oid AND x.indisreplident) AS replica_identity_index,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       c.relispartition AS is_partition,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
       ARRAY(SELECT json_build_array(pn.nspname, p.relname)
               FROM pg_catalog.pg_inherits i
               JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
               JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
              WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       ds.description AS comment,
       c.relacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE c.relkind IN ('r', 'p')
   AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
