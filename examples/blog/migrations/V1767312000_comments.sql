-- pgmt:section name="comments_table"
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

CREATE VIEW blog.published_posts AS
SELECT p.id, p.title, a.display_name AS author, p.published_at,
       (SELECT count(*) FROM blog.comments c WHERE c.post_id = p.id) AS comment_count
FROM blog.posts p
JOIN blog.authors a ON a.id = p.author_id
WHERE p.status = 'published';
GRANT SELECT ON blog.published_posts TO blog_reader;

-- pgmt:section name="published_index" mode="non-transactional" timeout="5m" lock_timeout="5s" retry_attempts="5" retry_delay="2s"
-- pgmt: description="Built without blocking writes to posts"
CREATE INDEX CONCURRENTLY posts_published_idx ON blog.posts (published_at DESC) WHERE status = 'published';
