-- The default partition has rows again (a worker with a bad clock): move them first.
CREATE TABLE audit_events_2025_h1 PARTITION OF audit_events FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
