CREATE SCHEMA "S p";
CREATE TABLE "S p"."T" ("Col ""1""" int);
