CREATE TYPE mood AS ENUM ('a', 'b');
CREATE TABLE t (m mood CONSTRAINT not_b CHECK (m <> 'b'));
