CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'c' || 1 $$;
CREATE TABLE t (code text DEFAULT next_code());
