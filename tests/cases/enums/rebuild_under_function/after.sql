CREATE TYPE mood AS ENUM ('a', 'b');
CREATE FUNCTION is_a(m mood) RETURNS boolean LANGUAGE sql AS $$ SELECT m = 'a' $$;
