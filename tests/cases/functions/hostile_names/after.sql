CREATE SCHEMA "fn $chema";
CREATE FUNCTION "fn $chema"."Weird ""Name"""("select" integer, "ü" text DEFAULT 'it''s') RETURNS text
    LANGUAGE sql AS $f$ SELECT $$a$$ || "ü" $f$;
COMMENT ON FUNCTION "fn $chema"."Weird ""Name"""(integer, text) IS 'x''; DROP SCHEMA y; --';
