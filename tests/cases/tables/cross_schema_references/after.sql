CREATE SCHEMA core;
CREATE SCHEMA reporting;
CREATE TABLE core.accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE reporting.snapshots (account_id bigint REFERENCES core.accounts ON DELETE CASCADE, taken date);
CREATE VIEW reporting.latest AS SELECT a.name, max(s.taken) AS taken FROM core.accounts a JOIN reporting.snapshots s ON s.account_id = a.id GROUP BY a.name;
COMMENT ON VIEW reporting.latest IS 'latest snapshot per account';
