CREATE TABLE u (b int);
