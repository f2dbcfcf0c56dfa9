0001_create.sql
-- name: MS-OPS-01 fail
-- description: a blocking lock requested without lock_timeout
-- group: operations
ALTER TABLE professionals ADD COLUMN bio text;
