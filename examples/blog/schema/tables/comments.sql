-- require: tables/posts
CREATE TABLE blog.comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES blog.posts (id) ON DELETE CASCADE,
    author_email blog.email NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post_idx ON blog.comments (post_id, created_at);
GRANT SELECT ON blog.comments TO blog_reader;
GRANT SELECT, INSERT ON blog.comments TO blog_writer;
