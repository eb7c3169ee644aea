CREATE TABLE t (id int, secret text);
GRANT SELECT, INSERT ON t TO pgmt_case_writer;
