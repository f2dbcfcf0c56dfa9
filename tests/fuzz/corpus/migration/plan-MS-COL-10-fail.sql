20240101120000_init.sql
-- name: MS-COL-10 fail
-- description: DROP NOT NULL lets readers see NULLs
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ALTER COLUMN city DROP NOT NULL;
