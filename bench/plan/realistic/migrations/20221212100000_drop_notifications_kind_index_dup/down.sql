-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS notifications_user_id_created_at_idx ON notifications (user_id, created_at DESC);
