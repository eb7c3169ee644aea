CREATE TABLE t (id int, secret text);
GRANT SELECT (id), UPDATE (secret) ON t TO pgmt_case_reader;
