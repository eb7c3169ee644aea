CREATE ROLE pgmt_case_reader;
CREATE ROLE pgmt_case_writer;
CREATE ROLE "pgmt case Odd""Role";
