CREATE TABLE events (id bigint NOT NULL, ts timestamptz NOT NULL, kind text) PARTITION BY RANGE (ts);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
