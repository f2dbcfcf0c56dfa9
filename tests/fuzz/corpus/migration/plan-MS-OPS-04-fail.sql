V2__add.sql
-- name: MS-OPS-04 fail
-- description: an UPDATE of every row in one statement
-- group: operations
-- migsafe:phase backfill
SET lock_timeout = '2s';
UPDATE professionals SET city = lower(city);
