20240101120000_init.sql
-- name: MS-OPS-05 pass
-- description: one ALTER TABLE with both actions
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text, ADD COLUMN website text;
