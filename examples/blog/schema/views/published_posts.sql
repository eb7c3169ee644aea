-- require: tables/comments
CREATE VIEW blog.published_posts AS
SELECT p.id, p.title, a.display_name AS author, p.published_at,
       (SELECT count(*) FROM blog.comments c WHERE c.post_id = p.id) AS comment_count
FROM blog.posts p
JOIN blog.authors a ON a.id = p.author_id
WHERE p.status = 'published';
GRANT SELECT ON blog.published_posts TO blog_reader;
