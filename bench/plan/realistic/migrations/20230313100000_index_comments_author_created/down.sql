-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS comments_author_id_created_at_idx;
