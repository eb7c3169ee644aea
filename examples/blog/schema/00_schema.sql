CREATE SCHEMA blog;
COMMENT ON SCHEMA blog IS 'Posts, authors and comments';
GRANT USAGE ON SCHEMA blog TO blog_reader, blog_writer;
