-- Not a schema change: record the sequence position in a comment for the runbook.
COMMENT ON SEQUENCE tasks_id_seq IS 'integer key; migration to bigint planned (see 2021-06)';
