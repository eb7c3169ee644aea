CREATE SCHEMA "My Schema";
CREATE SCHEMA "café";
CREATE TABLE "My Schema"."Ta""ble" (
    "select" int,
    "$dollar" text DEFAULT '$$ $x$ ''quoted'' \back',
    "'; DROP TABLE x; --" int,
    "ünïcödé ✓" text
);
COMMENT ON TABLE "My Schema"."Ta""ble" IS 'it''s $$dollar$$ and \backslash; DROP TABLE x; --';
COMMENT ON COLUMN "My Schema"."Ta""ble"."select" IS E'line1\nline2';
CREATE TABLE "café"."order" ("group" int PRIMARY KEY);
