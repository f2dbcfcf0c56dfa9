0003_x.up.sql
-- name: MS-OPS-07 fail
-- description: BEGIN/COMMIT inside a migration migsafe runs in a transaction
-- group: operations
BEGIN;
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
COMMIT;
