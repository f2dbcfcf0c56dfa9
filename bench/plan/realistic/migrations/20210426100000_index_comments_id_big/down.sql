-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS comments_id_big_key;
