-- Range types, with their multirange type's name (PostgreSQL 14 and later).
SELECT t.oid,
       n.nspname AS schema,
       t.typname AS name,
       pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault THEN
         pg_catalog.quote_ident(opn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname)
       END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> s.typcollation THEN
         pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END
         AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END
         AS subtype_diff,
       pg_catalog.quote_ident(mn.nspname) || '.' || pg_catalog.quote_ident(m.typname)
         AS multirange,
       r.rngmultitypid AS multirange_oid,
       pg_catalog.pg_get_userbyid(t.typowner) AS owner,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       t.typacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_range r
  JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type s ON s.oid = r.rngsubtype
  JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
  JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_catalog.pg_type m ON m.oid = r.rngmultitypid
  LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = m.typnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
 ORDER BY n.nspname, t.typname
