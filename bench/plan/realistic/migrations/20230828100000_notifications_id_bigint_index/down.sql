-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS notifications_id_big_key;
