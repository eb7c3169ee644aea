CREATE TABLE docs (id int, owner varchar(100), public boolean);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON docs USING (owner = current_user);
