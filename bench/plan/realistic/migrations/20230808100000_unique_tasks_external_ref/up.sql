-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tasks_external_ref_key ON tasks (external_ref) WHERE external_ref IS NOT NULL;
