0003_x.down.sql
-- name: MS-IDX-03 pass
-- description: REINDEX CONCURRENTLY in a non-transactional migration
-- group: indexes
-- migsafe:no-transaction
SET lock_timeout = '2s';
REINDEX TABLE CONCURRENTLY appointments;
