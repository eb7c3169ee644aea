-- require: tables/authors
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
CREATE INDEX posts_published_idx ON blog.posts (published_at DESC) WHERE status = 'published';
COMMENT ON COLUMN blog.posts.status IS 'draft -> published -> archived';

-- Keep updated_at current; the semicolons in the body belong to the function.
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
