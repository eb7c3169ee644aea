-- Domains with their constraints (NOT NULL is typnotnull on PostgreSQL 15 and 16).
SELECT t.oid,
       n.nspname AS schema,
       t.typname AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       -- Deparsed under the empty search_path (typdefault is the text as written, which
       -- names types as the session that made it saw them).
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "default",
       t.typnotnull AS not_null,
       CASE WHEN t.typcollation <> b.typcollation THEN
         pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       ARRAY(SELECT json_build_array(c.conname, pg_catalog.pg_get_constraintdef(c.oid),
                                     c.convalidated,
                                     pg_catalog.obj_description(c.oid, 'pg_constraint'), c.oid)
               FROM pg_catalog.pg_constraint c
              WHERE c.contypid = t.oid AND c.contype = 'c'
              ORDER BY c.conname) AS constraints,
       pg_catalog.pg_get_userbyid(t.typowner) AS owner,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       t.typacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
 WHERE t.typtype = 'd'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
 ORDER BY n.nspname, t.typname
