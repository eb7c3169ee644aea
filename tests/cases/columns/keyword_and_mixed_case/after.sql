CREATE TABLE "Order" ("User" text, "select" int, "from" date);
CREATE INDEX "Order_User" ON "Order" ("User", "select");
COMMENT ON COLUMN "Order"."from" IS 'start';
