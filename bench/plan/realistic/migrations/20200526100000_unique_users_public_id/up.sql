-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY users_public_id_key ON users (public_id);
