-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS comments_id_big_key ON comments (id_big);
