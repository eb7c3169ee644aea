-- Views and materialized views (columns come from columns.sql).
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind AS relkind,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       coalesce(c.reloptions, '{}') AS options,
       c.relispopulated AS populated,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       ds.description AS comment,
       c.relacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE c.relkind IN ('v', 'm')
   AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
