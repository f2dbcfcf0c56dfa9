-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS time_entries_started_at_brin ON time_entries USING brin (started_at);
