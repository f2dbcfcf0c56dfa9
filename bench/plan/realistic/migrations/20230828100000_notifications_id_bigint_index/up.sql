-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notifications_id_big_key ON notifications (id_big);
