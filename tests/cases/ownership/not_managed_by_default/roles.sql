CREATE ROLE pgmt_case_owner;
CREATE ROLE pgmt_case_other;
