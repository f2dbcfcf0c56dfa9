-- The import job filled audit_events_legacy last week (40M rows). No CHECK matching the
-- bound was added first, so ATTACH reads the whole table to prove every row fits.
ALTER TABLE audit_events ATTACH PARTITION audit_events_legacy
    FOR VALUES FROM (MINVALUE) TO ('2021-01-01');
