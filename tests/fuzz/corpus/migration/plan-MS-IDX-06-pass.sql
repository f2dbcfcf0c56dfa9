20240101120000_init.sql
-- name: MS-IDX-06 pass
-- description: a generous lock_timeout for the CONCURRENTLY step
-- group: indexes
-- migsafe:no-transaction
SET lock_timeout = '60s';
CREATE INDEX CONCURRENTLY reviews_created_at_idx ON reviews (created_at);
