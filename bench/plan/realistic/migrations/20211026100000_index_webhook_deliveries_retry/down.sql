-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS webhook_deliveries_retry_idx;
