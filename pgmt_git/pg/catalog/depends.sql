-- Dependencies between user objects (OIDs at or above FirstNormalObjectId), catalog tables
-- by OID. Extension membership ('e', 'x') and partition links ('P', 'S') are not ordering
-- dependencies.
-- Rows the loader would throw away are not sent (about half of them): an object's schema
-- (the loader adds that edge itself), and internal links between catalog rows that make one
-- object (a toast table, an identity sequence or a constraint's index and its owner; a
-- foreign key's triggers; array, row and multirange types; a view's rewrite rule), and a
-- column default's link to its own column (the default stands for that column).
SELECT d.classid AS cls,
       d.objid,
       d.objsubid,
       d.refclassid AS refcls,
       d.refobjid,
       d.refobjsubid,
       d.deptype
  FROM pg_catalog.pg_depend d
 WHERE d.deptype IN ('n', 'a', 'i')
   AND d.objid >= 16384
   AND d.refobjid >= 16384
   AND d.refclassid <> 'pg_catalog.pg_namespace'::pg_catalog.regclass
   AND NOT (d.deptype = 'i'
            AND d.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass,
                              'pg_catalog.pg_trigger'::pg_catalog.regclass,
                              'pg_catalog.pg_type'::pg_catalog.regclass,
                              'pg_catalog.pg_rewrite'::pg_catalog.regclass))
   AND NOT (d.deptype = 'a' AND d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
            AND d.refobjsubid <> 0)
