CREATE TABLE old_name (a int);
