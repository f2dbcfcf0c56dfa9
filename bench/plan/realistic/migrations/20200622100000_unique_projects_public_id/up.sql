-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS projects_public_id_key ON projects (public_id);
