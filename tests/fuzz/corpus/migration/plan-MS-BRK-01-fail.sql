0001_create.sql
-- name: MS-BRK-01 fail
-- description: DROP COLUMN outside a contract step
-- group: breaking
SET lock_timeout = '2s';
ALTER TABLE professionals DROP COLUMN fax;
