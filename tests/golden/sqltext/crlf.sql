-- CRLF line endings
CREATE TABLE app.crlf (
    a integer
);

COPY app.crlf FROM stdin;
1
2
\.
COMMENT ON TABLE app.crlf IS 'two
lines';
SELECT 1
