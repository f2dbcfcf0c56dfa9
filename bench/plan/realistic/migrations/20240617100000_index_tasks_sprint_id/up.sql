-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_sprint_id_idx ON tasks (sprint_id) WHERE sprint_id IS NOT NULL;
