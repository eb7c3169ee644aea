-- Event triggers (database-wide), except those an extension created.
SELECT e.oid,
       e.evtname AS name,
       e.evtevent AS event,
       e.evtfoid AS function_oid,
       coalesce(e.evttags, '{}') AS tags,
       e.evtenabled AS enabled,
       pg_catalog.obj_description(e.oid, 'pg_event_trigger') AS comment
  FROM pg_catalog.pg_event_trigger e
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                      AND d.objid = e.oid AND d.deptype = 'e')
 ORDER BY e.evtname
