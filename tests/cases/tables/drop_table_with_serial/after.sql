CREATE TABLE u (x int);
