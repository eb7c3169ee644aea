-- Ünïcödé before statements: é (2 bytes), 日本 (3 bytes), 🐘 (4 bytes).
CREATE TABLE app."🐘" (nom text DEFAULT 'été;');
/* 日本語のコメント; */ COMMENT ON TABLE app."🐘" IS 'éléphant 🐘;';
COPY app."🐘" (nom) FROM stdin;
données 🐘 ; 日本
\.
SELECT 'après 🐘' AS "ça";
