0003_x.up.sql
-- name: MS-OPS-04 pass
-- description: a batch by primary-key range
-- group: operations
-- migsafe:phase backfill
SET lock_timeout = '2s';
UPDATE professionals SET city = lower(city) WHERE id BETWEEN 1 AND 1000;
