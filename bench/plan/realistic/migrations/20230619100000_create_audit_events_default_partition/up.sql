-- Writes past the last partition failed on 2023-06-16 (clock skew on a worker).
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
