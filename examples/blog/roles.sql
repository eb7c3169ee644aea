-- Roles the schema grants to. Replayed first, and tolerated when they already exist.
CREATE ROLE blog_reader NOLOGIN;
CREATE ROLE blog_writer NOLOGIN;
