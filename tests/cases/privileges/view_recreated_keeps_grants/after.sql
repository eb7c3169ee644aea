CREATE TABLE t (id int, secret text);
CREATE VIEW v AS SELECT id FROM t;
GRANT SELECT ON v TO pgmt_case_reader;
