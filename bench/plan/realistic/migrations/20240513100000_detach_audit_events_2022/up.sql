-- CONCURRENTLY is refused while audit_events has a DEFAULT partition ("cannot detach
-- partitions concurrently when a default partition exists"): a plain DETACH is a catalog
-- change (the default partition only widens), behind a short lock_timeout.
SET lock_timeout = '5s';
ALTER TABLE audit_events DETACH PARTITION audit_events_2022_q1;
