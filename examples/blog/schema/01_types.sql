-- require: 00_schema
CREATE TYPE blog.post_status AS ENUM ('draft', 'published', 'archived');

CREATE DOMAIN blog.email AS text
    CONSTRAINT email_has_at CHECK (VALUE LIKE '%_@_%');
