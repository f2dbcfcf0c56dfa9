0003_x.down.sql
-- name: MS-OPS-07 pass
-- description: no explicit transaction control
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
