-- Catalog rows that stand for another object in dependencies: a view's rewrite rule is the
-- view, a column default is its column, an array type is its element type, a row type is
-- its relation, and whatever an extension created is the extension. Catalog tables by OID
-- (each regclass constant below is folded once, when the query is planned).
SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid AS cls, r.oid AS objid,
       0 AS objsubid,
       'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AS tocls, r.ev_class AS toid,
       0 AS tosubid
  FROM pg_catalog.pg_rewrite r
 WHERE r.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid, ad.oid, 0,
       'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, ad.adrelid, ad.adnum
  FROM pg_catalog.pg_attrdef ad
 WHERE ad.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid, 0,
       'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.typelem, 0
  FROM pg_catalog.pg_type t
 WHERE t.oid >= 16384
   AND EXISTS (SELECT FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
UNION ALL
SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid, 0,
       'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, t.typrelid, 0
  FROM pg_catalog.pg_type t
 WHERE t.oid >= 16384 AND t.typrelid <> 0
UNION ALL
SELECT d.classid, d.objid, 0,
       'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid, d.refobjid, 0
  FROM pg_catalog.pg_depend d
 WHERE d.deptype = 'e' AND d.objid >= 16384
