-- Columns of tables, views, materialized views and composite types, in attnum order, with
-- default or generation expression, collation (when not the type's own) and identity.
SELECT a.attrelid AS relid,
       a.attnum,
       a.attname AS name,
       a.atttypid AS type_oid,  -- these two for indexes' keys (indexes.sql)
       a.attcollation AS collation_oid,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       -- A default reads no column, so it is deparsed without its table: the table would
       -- be opened for its column names, costly on a server that has not opened it yet.
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0) END
         AS "default",
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
         AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN
         (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
            FROM pg_catalog.pg_collation co
            JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
           WHERE co.oid = a.attcollation)
       END AS collation,
       a.attidentity AS identity,  -- its sequence: identities.sql
       NOT a.attislocal AS inherited,
       ds.description AS comment,
       a.attacl::pg_catalog.text[] AS acl
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = a.attnum
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE a.attnum > 0
   AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
   AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
 ORDER BY a.attrelid, a.attnum
