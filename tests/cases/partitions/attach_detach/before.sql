CREATE TABLE events (id bigint NOT NULL, ts timestamptz NOT NULL, kind text) PARTITION BY RANGE (ts);
CREATE TABLE events_2025 (id bigint NOT NULL, ts timestamptz NOT NULL, kind text);
