-- The legacy partition goes to cold storage. Plain DETACH: AccessExclusiveLock on the
-- parent, every audit write waits.
ALTER TABLE audit_events DETACH PARTITION audit_events_legacy;
