CREATE TABLE events (id bigint NOT NULL, ts timestamptz NOT NULL, kind text) PARTITION BY RANGE (ts);

CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_other PARTITION OF events DEFAULT;
ALTER TABLE events ADD PRIMARY KEY (id, ts);
CREATE INDEX events_kind ON events (kind);
