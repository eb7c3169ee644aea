CREATE FUNCTION greet(who text) RETURNS text LANGUAGE plpgsql AS $body$
DECLARE
  s text := 'it''s $$ \n';
BEGIN
  RETURN s || who;
END
$body$;
