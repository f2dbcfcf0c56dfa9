ALTER TABLE audit_events DETACH PARTITION audit_events_legacy;
