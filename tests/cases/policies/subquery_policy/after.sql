CREATE TABLE members (uid text);
CREATE TABLE docs (owner text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_only ON docs USING (EXISTS (SELECT 1 FROM members m WHERE m.uid = docs.owner));
