-- a line comment; with a semicolon
/* a block comment; with a semicolon
   /* nested; still a comment */
   still inside the outer comment;
*/
CREATE TABLE app.t (
    a integer, -- column comment; with a semicolon
    /* ; */ b text
);
SELECT /* inline; */ 1 -- after; the statement
;
-- a comment after the last statement;
