-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS users_active_idx;
