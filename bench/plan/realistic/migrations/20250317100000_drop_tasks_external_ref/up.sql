-- The GitHub importer was retired in 2024.
-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tasks_external_ref_key;
