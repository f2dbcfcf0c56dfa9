-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_author_id_created_at_idx ON comments (author_id, created_at);
