-- migsafe:no-transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_search_vector_idx ON tasks USING gin (search_vector);
