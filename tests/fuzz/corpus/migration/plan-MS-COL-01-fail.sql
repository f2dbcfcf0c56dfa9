V2__add.sql
-- name: MS-COL-01 fail
-- description: SET NOT NULL scans the table under AccessExclusiveLock
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ALTER COLUMN city SET NOT NULL;
