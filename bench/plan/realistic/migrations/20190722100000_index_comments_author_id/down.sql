-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS comments_author_id_idx;
