-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_deliveries_retry_idx
    ON webhook_deliveries (next_retry_at) WHERE next_retry_at IS NOT NULL;
