CREATE TYPE "Odd Type" AS ENUM ('it''s');
