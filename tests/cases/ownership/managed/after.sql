CREATE SCHEMA app;
CREATE TABLE app.t (id serial, v text);
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE SEQUENCE app.s;
CREATE TYPE app.e AS ENUM ('a');
CREATE DOMAIN app.d AS int;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE MATERIALIZED VIEW app.mv AS SELECT 1 AS one;

ALTER SCHEMA app OWNER TO pgmt_case_owner;
ALTER TABLE app.t OWNER TO pgmt_case_owner;
ALTER VIEW app.v OWNER TO pgmt_case_other;
ALTER SEQUENCE app.s OWNER TO pgmt_case_owner;
ALTER TYPE app.e OWNER TO pgmt_case_owner;
ALTER DOMAIN app.d OWNER TO pgmt_case_owner;
ALTER FUNCTION app.f() OWNER TO pgmt_case_owner;
ALTER MATERIALIZED VIEW app.mv OWNER TO pgmt_case_owner;
