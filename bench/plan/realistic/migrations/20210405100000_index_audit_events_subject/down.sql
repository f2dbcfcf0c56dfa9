DROP INDEX audit_events_subject_idx;
