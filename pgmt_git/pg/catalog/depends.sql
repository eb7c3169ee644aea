-- Dependencies between user objects (OIDs at or above FirstNormalObjectId). Extension
-- membership ('e', 'x') and partition links ('P', 'S') are not ordering dependencies.
SELECT d.classid::pg_catalog.regclass::text AS cls,
       d.objid,
       d.objsubid,
       d.refclassid::pg_catalog.regclass::text AS refcls,
       d.refobjid,
       d.refobjsubid,
       d.deptype
  FROM pg_catalog.pg_depend d
 WHERE d.deptype IN ('n', 'a', 'i')
   AND d.objid >= 16384
   AND d.refobjid >= 16384
