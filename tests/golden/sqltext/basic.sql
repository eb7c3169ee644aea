-- A schema file: leading comments and blank lines belong to no statement.

CREATE SCHEMA app;

/* a block comment */ CREATE TABLE app.account (
    id bigint PRIMARY KEY,
    email text NOT NULL
);
CREATE INDEX account_email_idx ON app.account (email);  -- trailing comment
COMMENT ON TABLE app.account IS 'accounts';;
SELECT 1; SELECT 2;
