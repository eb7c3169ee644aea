CREATE TABLE t (id int, at timestamptz);

CREATE TABLE audit (n bigint);
CREATE FUNCTION count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit SELECT count(*) FROM new_rows; RETURN NULL; END $$;
CREATE TRIGGER t_count AFTER INSERT ON t REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_rows();
