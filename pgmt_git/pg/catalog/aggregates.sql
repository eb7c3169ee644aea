-- Aggregates: pg_get_functiondef does not cover them, so their parts are read one by one.
SELECT p.oid,
       n.nspname AS schema,
       p.proname AS name,
       pg_catalog.oidvectortypes(p.proargtypes) AS args,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_result(p.oid) AS result,
       a.aggkind AS aggkind,
       a.aggtransfn::pg_catalog.regproc::text AS sfunc,
       pg_catalog.format_type(a.aggtranstype, NULL) AS stype,
       a.aggtransspace AS sspace,
       CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::pg_catalog.regproc::text END AS finalfunc,
       a.aggfinalextra AS finalfunc_extra,
       a.aggfinalmodify AS finalfunc_modify,
       CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::pg_catalog.regproc::text END
         AS combinefunc,
       CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::pg_catalog.regproc::text END
         AS serialfunc,
       CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::pg_catalog.regproc::text END
         AS deserialfunc,
       a.agginitval AS initcond,
       CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoperator::text END AS sortop,
       p.proparallel AS parallel,
       pg_catalog.pg_get_userbyid(p.proowner) AS owner,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       p.proacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_aggregate a
  JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
 ORDER BY n.nspname, p.proname, 4
