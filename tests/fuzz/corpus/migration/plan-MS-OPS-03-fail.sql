20240101120000_init.sql
-- name: MS-OPS-03 fail
-- description: work after an AccessExclusiveLock prolongs it
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
UPDATE professionals SET bio = '' WHERE id < 1000;
