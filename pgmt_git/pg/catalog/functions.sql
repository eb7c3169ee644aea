-- Functions and procedures (aggregates have no pg_get_functiondef and are read apart).
-- The identity is the input argument types, as PostgreSQL matches overloads.
SELECT p.oid,
       n.nspname AS schema,
       p.proname AS name,
       pg_catalog.oidvectortypes(p.proargtypes) AS args,
       p.prokind AS kind,
       pg_catalog.pg_get_functiondef(p.oid) AS definition,
       pg_catalog.pg_get_function_result(p.oid) AS result,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       ARRAY(SELECT coalesce(p.proargnames[k.i], '')
               FROM generate_subscripts(coalesce(p.proargmodes, '{}'::"char"[]), 1) AS k(i)
              WHERE p.proargmodes[k.i] IN ('i', 'b', 'v')
              UNION ALL
             SELECT coalesce(p.proargnames[k.i], '')
               FROM generate_series(1, p.pronargs) AS k(i)
              WHERE p.proargmodes IS NULL) AS input_names,
       pg_catalog.pg_get_userbyid(p.proowner) AS owner,
       ds.description AS comment,
       p.proacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = p.oid AND ds.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass
        AND ds.objsubid = 0
 WHERE p.prokind IN ('f', 'p', 'w')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   -- an extension's, or part of another object (a range type's constructors)
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
 ORDER BY n.nspname, p.proname, 4
