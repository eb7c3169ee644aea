CREATE TYPE mood AS ENUM ('b', 'd');
