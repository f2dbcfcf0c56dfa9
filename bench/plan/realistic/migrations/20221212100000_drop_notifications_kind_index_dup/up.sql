-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS notifications_user_id_created_at_idx;
