CREATE TABLE app.t (a integer);
SELECT a
  FROM app.t -- no semicolon; follows
/* trailing */
