-- User triggers (not the internal ones of foreign keys, nor partitions' clones of a
-- partitioned table's trigger).
SELECT tg.oid,
       tg.tgrelid AS relid,
       tg.tgname AS name,
       pg_catalog.pg_get_triggerdef(tg.oid) AS definition,
       tg.tgenabled AS enabled,
       pg_catalog.obj_description(tg.oid, 'pg_trigger') AS comment
  FROM pg_catalog.pg_trigger tg
 WHERE NOT tg.tgisinternal
   AND tg.tgparentid = 0
 ORDER BY tg.tgrelid, tg.tgname
