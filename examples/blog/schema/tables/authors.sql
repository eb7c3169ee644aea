-- require: 01_types
CREATE TABLE blog.authors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email blog.email NOT NULL UNIQUE,
    display_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON blog.authors TO blog_reader;
GRANT SELECT, INSERT, UPDATE ON blog.authors TO blog_writer;
