CREATE TABLE m (id serial, at date, kind text) PARTITION BY LIST (kind);
CREATE TABLE m_1 PARTITION OF m FOR VALUES IN ('a');
CREATE INDEX m_kind ON m (kind);
