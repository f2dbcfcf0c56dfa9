-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tasks_created_by_id_idx;
