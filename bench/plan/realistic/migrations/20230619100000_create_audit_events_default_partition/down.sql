DROP TABLE audit_events_default;
