-- Exported to S3 (ticket OPS-311).
DROP TABLE audit_events_legacy;
