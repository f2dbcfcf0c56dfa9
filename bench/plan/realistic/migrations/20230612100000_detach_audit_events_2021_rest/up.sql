-- The rest of 2021 in one go, plain DETACH this time (the runner wraps the file in a
-- transaction and CONCURRENTLY cannot run there).
ALTER TABLE audit_events DETACH PARTITION audit_events_2021_02;
ALTER TABLE audit_events DETACH PARTITION audit_events_2021_03;
ALTER TABLE audit_events DETACH PARTITION audit_events_2021_04;
