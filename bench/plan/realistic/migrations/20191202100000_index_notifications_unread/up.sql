-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
