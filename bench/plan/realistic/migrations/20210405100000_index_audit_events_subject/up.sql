-- Indexes on a partitioned table cannot be built CONCURRENTLY: this one locks every
-- partition against writes while it builds.
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);
