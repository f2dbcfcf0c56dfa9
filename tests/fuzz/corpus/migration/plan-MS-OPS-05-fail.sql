0003_x.down.sql
-- name: MS-OPS-05 fail
-- description: two ALTER TABLE statements on the same table
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
ALTER TABLE professionals ADD COLUMN website text;
