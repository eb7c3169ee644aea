CREATE TABLE t (id int, at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE OF id ON t FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION touch();
