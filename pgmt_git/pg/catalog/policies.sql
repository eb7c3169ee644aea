-- Row level security policies.
SELECT p.oid,
       p.polrelid AS relid,
       p.polname AS name,
       p.polpermissive AS permissive,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
       ARRAY(SELECT CASE WHEN r.role = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r.role) END
               FROM unnest(p.polroles) AS r(role)
              ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       pg_catalog.obj_description(p.oid, 'pg_policy') AS comment
  FROM pg_catalog.pg_policy p
 ORDER BY p.polrelid, p.polname
