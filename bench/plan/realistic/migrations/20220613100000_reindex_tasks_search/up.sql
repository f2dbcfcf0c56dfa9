-- The GIN index bloated to 6x; rebuild it without blocking.
-- migsafe:no-transaction
REINDEX INDEX CONCURRENTLY tasks_search_vector_idx;
