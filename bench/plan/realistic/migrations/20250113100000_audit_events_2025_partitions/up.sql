-- The default partition still catches rows from workers with a bad clock; the new
-- partition's range is checked against them.
CREATE TABLE audit_events_2025_h1 PARTITION OF audit_events FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
