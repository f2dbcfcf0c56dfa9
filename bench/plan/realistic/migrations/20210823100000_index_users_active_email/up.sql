-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_active_idx ON users (id) WHERE deleted_at IS NULL;
