CREATE FUNCTION app.add(a integer, b integer) RETURNS integer
LANGUAGE sql
BEGIN ATOMIC
    SELECT a + b;
END;

CREATE PROCEDURE app.log_it(msg text)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO app.log (msg) VALUES (msg);
    INSERT INTO app.log (msg) VALUES ('second; with semicolon');
    SELECT CASE WHEN msg = 'x' THEN 1 ELSE 2 END;
END;
CREATE FUNCTION app.one() RETURNS integer RETURN 1;
