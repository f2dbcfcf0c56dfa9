-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tasks_sprint_id_idx;
