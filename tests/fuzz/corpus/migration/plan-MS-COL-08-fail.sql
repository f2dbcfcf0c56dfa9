0001_create.sql
-- name: MS-COL-08 fail
-- description: varchar to text needs no rewrite but still takes AccessExclusiveLock
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ALTER COLUMN last_name TYPE text;
