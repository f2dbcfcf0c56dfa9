0001_create.sql
-- name: MS-OPS-03 pass
-- description: each statement in its own transaction
-- group: operations
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
UPDATE professionals SET bio = '' WHERE id < 1000;
