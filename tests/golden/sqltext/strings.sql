INSERT INTO app.t VALUES ('a;b', 'it''s; quoted');
INSERT INTO app.t VALUES (E'escaped \' quote; and \\ backslash', e'\n;');
CREATE TABLE app."odd;name" ("semi;colon" integer, """quoted"";" text);
SELECT U&'\0041;' AS unicode_escape, B'1010' AS bits, X'1F' AS hex;
SELECT 'first'
    'continued; literal';
