CREATE TABLE p (id int NOT NULL, code text NOT NULL, CONSTRAINT p_pkey PRIMARY KEY (id) WITH (fillfactor=80));
CREATE TABLE c (p_id int CONSTRAINT f REFERENCES p);
