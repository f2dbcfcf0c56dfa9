0003_x.down.sql
-- name: MS-PART-01 fail
-- description: DETACH PARTITION locks the whole partitioned table
-- group: partitions
SET lock_timeout = '2s';
ALTER TABLE visits DETACH PARTITION visits_2020;
