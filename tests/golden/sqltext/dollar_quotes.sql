CREATE FUNCTION app.f(a integer) RETURNS integer LANGUAGE sql AS $$
    SELECT a + 1;  -- a semicolon inside the body
$$;

CREATE FUNCTION app.g() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE NOTICE 'x; y';
    PERFORM $q$ ; $$ nested ; $q$;
    RETURN NEW;
END;
$body$;

DO $$
BEGIN
    EXECUTE 'SELECT 1;';
END
$$;
DO LANGUAGE plpgsql $do$ BEGIN NULL; END $do$;
SELECT $a$;$a$ AS semicolon, $$$$ AS empty;
