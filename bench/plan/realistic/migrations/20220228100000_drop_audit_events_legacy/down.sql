CREATE TABLE audit_events_legacy (LIKE audit_events INCLUDING DEFAULTS);
