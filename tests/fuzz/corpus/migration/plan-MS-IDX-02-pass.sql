V2__add.sql
-- name: MS-IDX-02 pass
-- description: DROP INDEX CONCURRENTLY in a non-transactional migration
-- group: indexes
-- migsafe:no-transaction
SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY IF EXISTS professionals_city_idx;
