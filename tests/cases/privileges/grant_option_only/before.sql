CREATE TABLE t (id int, secret text);
GRANT SELECT ON t TO pgmt_case_writer WITH GRANT OPTION;
