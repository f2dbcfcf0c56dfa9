-- migsafe:no-transaction
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_created_by_id_idx ON tasks (created_by_id);
