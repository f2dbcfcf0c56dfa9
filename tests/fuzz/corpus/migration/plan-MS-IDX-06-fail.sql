0003_x.down.sql
-- name: MS-IDX-06 fail
-- description: a short lock_timeout cancels CONCURRENTLY while it waits for old transactions
-- group: indexes
-- migsafe:no-transaction
SET lock_timeout = '1s';
CREATE INDEX CONCURRENTLY reviews_created_at_idx ON reviews (created_at);
