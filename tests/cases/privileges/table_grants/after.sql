CREATE TABLE t (id int, secret text);

GRANT SELECT ON t TO pgmt_case_reader;
GRANT SELECT, INSERT, UPDATE ON t TO pgmt_case_writer WITH GRANT OPTION;
GRANT SELECT ON t TO PUBLIC;
