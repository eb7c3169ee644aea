CREATE SCHEMA blog;
COMMENT ON SCHEMA blog IS 'Posts, authors and comments';
GRANT USAGE ON SCHEMA blog TO blog_reader, blog_writer;

CREATE TYPE blog.post_status AS ENUM ('draft', 'published', 'archived');
CREATE DOMAIN blog.email AS text
    CONSTRAINT email_has_at CHECK (VALUE LIKE '%_@_%');

CREATE TABLE blog.authors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email blog.email NOT NULL UNIQUE,
    display_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON blog.authors TO blog_reader;
GRANT SELECT, INSERT, UPDATE ON blog.authors TO blog_writer;

CREATE TABLE blog.posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES blog.authors (id) ON DELETE CASCADE,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status blog.post_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT published_has_date CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX posts_author_idx ON blog.posts (author_id);
COMMENT ON COLUMN blog.posts.status IS 'draft -> published -> archived';

CREATE FUNCTION blog.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER posts_touch BEFORE UPDATE ON blog.posts
    FOR EACH ROW EXECUTE FUNCTION blog.touch_updated_at();
GRANT SELECT ON blog.posts TO blog_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON blog.posts TO blog_writer;
