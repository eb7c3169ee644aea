-- Collations. Locale columns moved between versions (colliculocale in 15 and 16, colllocale
-- from 17), so the row is read as JSON and the fields picked by name.
SELECT c.oid,
       n.nspname AS schema,
       c.collname AS name,
       c.collprovider AS provider,
       c.collisdeterministic AS deterministic,
       c.collcollate AS lc_collate,
       c.collctype AS lc_ctype,
       coalesce(pg_catalog.to_jsonb(c) ->> 'colllocale',
                pg_catalog.to_jsonb(c) ->> 'colliculocale') AS locale,
       pg_catalog.to_jsonb(c) ->> 'collicurules' AS rules,
       pg_catalog.pg_get_userbyid(c.collowner) AS owner,
       pg_catalog.obj_description(c.oid, 'pg_collation') AS comment
  FROM pg_catalog.pg_collation c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.collname
