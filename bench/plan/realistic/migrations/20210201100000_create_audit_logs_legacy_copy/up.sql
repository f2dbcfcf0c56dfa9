-- The 2019-2020 audit log lived in the app's log files; import it into a table shaped
-- like a partition so that it can be attached.
CREATE TABLE audit_events_legacy (LIKE audit_events INCLUDING DEFAULTS);
