-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tasks_search_vector_idx;
