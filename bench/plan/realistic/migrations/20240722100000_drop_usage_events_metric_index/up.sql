-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS usage_events_metric_idx;
