DROP TABLE audit_events_2025_h1;
