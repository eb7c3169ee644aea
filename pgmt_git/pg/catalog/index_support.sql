-- What the loader needs to write a plain index's definition as pg_get_indexdef would
-- (indexes.sql): the keywords this server's quote_ident quotes (all but the unreserved
-- ones), and the default operator classes with the type each is for.
SELECT ARRAY(SELECT k.word FROM pg_catalog.pg_get_keywords() k WHERE k.catcode <> 'U')
         AS keywords,
       ARRAY(SELECT o.oid FROM pg_catalog.pg_opclass o WHERE o.opcdefault ORDER BY o.oid)
         AS default_opclasses,
       ARRAY(SELECT o.opcintype FROM pg_catalog.pg_opclass o WHERE o.opcdefault ORDER BY o.oid)
         AS default_opclass_types
