DROP TABLE audit_events_legacy;
