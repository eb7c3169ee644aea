CREATE EXTENSION vector;
CREATE TABLE items (embedding vector(3));
