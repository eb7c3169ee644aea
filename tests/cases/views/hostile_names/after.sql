CREATE SCHEMA "S p";
CREATE TABLE "S p"."T" ("Col ""1""" int);
CREATE VIEW "S p"."V$" AS SELECT "Col ""1""" AS "select", 'x''y' AS "ünï" FROM "S p"."T";
