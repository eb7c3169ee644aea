-- Extensions (plpgsql comes with every database and is read like any other).
SELECT e.oid,
       e.extname AS name,
       n.nspname AS schema,
       e.extversion AS version,
       e.extrelocatable AS relocatable,
       pg_catalog.obj_description(e.oid, 'pg_extension') AS comment
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 ORDER BY e.extname
