0001_create.sql
-- name: MS-COL-05 pass
-- description: a plain column (filled by a trigger and a batched backfill)
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN full_name text;
