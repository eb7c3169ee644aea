CREATE TABLE t (id int, at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;

CREATE TRIGGER t_touch BEFORE UPDATE OF id ON t FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION touch();
COMMENT ON TRIGGER t_touch ON t IS 'keeps at fresh';
