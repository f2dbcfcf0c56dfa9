20240101120000_init.sql
-- name: MS-PART-01 pass
-- description: DETACH PARTITION CONCURRENTLY in a non-transactional migration
-- group: partitions
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE visits DETACH PARTITION visits_2020 CONCURRENTLY;
