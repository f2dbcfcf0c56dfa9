V2__add.sql
-- name: MS-BRK-01 pass
-- description: DROP COLUMN in a file marked as a contract step
-- group: breaking
-- migsafe:phase contract
SET lock_timeout = '2s';
ALTER TABLE professionals DROP COLUMN fax;
