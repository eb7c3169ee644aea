-- "stdin" in a comment is not a COPY: COPY t FROM stdin;
CREATE TABLE app.t (a integer, b text);
SELECT 'COPY t FROM stdin;' AS not_a_copy;
COPY app.t (a, b) FROM stdin;
1	a;b
2	it's; \N
3	\\.not the end
\.
COPY app.t FROM STDIN WITH (FORMAT csv);  -- a comment after the semicolon
4,"x;y"
5,'
\.
COPY app.t TO stdout;
SELECT 1;
COPY app.t FROM stdin;
6	data running to the end of the file
