-- migsafe:no-transaction
-- Retention is two years. DETACH CONCURRENTLY (PostgreSQL 14+) lets audit writes go on.
ALTER TABLE audit_events DETACH PARTITION audit_events_2021_01 CONCURRENTLY;
