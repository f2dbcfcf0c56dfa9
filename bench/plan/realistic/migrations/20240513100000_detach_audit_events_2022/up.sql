-- migsafe:no-transaction
SET lock_timeout = '5s';
ALTER TABLE audit_events DETACH PARTITION audit_events_2022_q1 CONCURRENTLY;
