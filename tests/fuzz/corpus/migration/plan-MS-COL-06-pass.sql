0003_x.up.sql
-- name: MS-COL-06 pass
-- description: a plain nullable column
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE reviews ADD COLUMN position bigint;
