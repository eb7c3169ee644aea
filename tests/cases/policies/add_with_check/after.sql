CREATE TABLE docs (id int, owner text, public boolean);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON docs FOR ALL USING (public) WITH CHECK (id > 0);
