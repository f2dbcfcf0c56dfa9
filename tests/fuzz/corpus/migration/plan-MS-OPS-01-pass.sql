V2__add.sql
-- name: MS-OPS-01 pass
-- description: SET lock_timeout first
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN bio text;
