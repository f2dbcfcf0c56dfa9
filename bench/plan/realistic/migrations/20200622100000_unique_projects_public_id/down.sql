-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS projects_public_id_key;
