-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tasks_external_ref_key;
