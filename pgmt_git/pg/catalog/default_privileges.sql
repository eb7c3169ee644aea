-- ALTER DEFAULT PRIVILEGES entries. A database-wide entry (no schema) replaces the built-in
-- defaults, so those come along to tell what was granted and what was revoked.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role,
       coalesce(n.nspname, '') AS schema,
       d.defaclobjtype AS object_type,
       (SELECT coalesce(json_agg(json_build_array(
                 CASE WHEN a.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
                 a.privilege_type, a.is_grantable, pg_catalog.pg_get_userbyid(a.grantor))), '[]')
          FROM pg_catalog.aclexplode(d.defaclacl) a) AS acl,
       CASE WHEN d.defaclnamespace = 0 THEN
         (SELECT coalesce(json_agg(json_build_array(
                   CASE WHEN a.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
                   a.privilege_type, a.is_grantable, pg_catalog.pg_get_userbyid(a.grantor))), '[]')
            FROM pg_catalog.aclexplode(pg_catalog.acldefault(
                   CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                   d.defaclrole)) a)
       ELSE '[]'::json END AS baseline
  FROM pg_catalog.pg_default_acl d
  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
 ORDER BY 1, 2, 3
