-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_events_metric_idx ON usage_events (metric, recorded_at);
