0001_create.sql
-- name: MS-COL-10 pass
-- description: DROP NOT NULL on a column added in the same migration
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN nickname text NOT NULL DEFAULT '';
ALTER TABLE professionals ALTER COLUMN nickname DROP NOT NULL;
