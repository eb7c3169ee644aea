CREATE TABLE new_name (a int);
