CREATE TABLE t (a int CONSTRAINT "Check ""this"" ✓" CHECK (a <> 1));
