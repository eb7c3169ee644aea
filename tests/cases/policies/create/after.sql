CREATE TABLE docs (id int, owner text, public boolean);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;

CREATE POLICY read_public ON docs FOR SELECT USING (public);
CREATE POLICY write_own ON docs AS RESTRICTIVE FOR UPDATE TO CURRENT_USER USING (owner = current_user) WITH CHECK (owner = current_user);
COMMENT ON POLICY read_public ON docs IS 'anyone';
