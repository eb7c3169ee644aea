-- ALTER DEFAULT PRIVILEGES entries. A database-wide entry (no schema) replaces the built-in
-- defaults, so those come along to tell what was granted and what was revoked.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role,
       coalesce(n.nspname, '') AS schema,
       d.defaclobjtype AS object_type,
       d.defaclacl::pg_catalog.text[] AS acl,
       CASE WHEN d.defaclnamespace = 0 THEN
         pg_catalog.acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                               d.defaclrole)::pg_catalog.text[]
       ELSE '{}'::pg_catalog.text[] END AS baseline
  FROM pg_catalog.pg_default_acl d
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
 ORDER BY 1, 2, 3
