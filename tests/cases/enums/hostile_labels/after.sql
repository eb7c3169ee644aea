CREATE TYPE "Odd Type" AS ENUM ('it''s', 'back\slash', '$$', 'ünï ✓', '''; DROP TYPE x; --');
