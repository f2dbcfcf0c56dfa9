-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS time_entries_started_at_brin;
