CREATE FUNCTION next_code() RETURNS varchar LANGUAGE sql AS $$ SELECT 'c' $$;
CREATE TABLE t (code text DEFAULT next_code(), other text DEFAULT 'x');
