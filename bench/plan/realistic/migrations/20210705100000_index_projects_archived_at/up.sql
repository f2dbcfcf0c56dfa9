-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY projects_active_idx ON projects (account_id) WHERE archived_at IS NULL;
