0003_x.down.sql
-- name: MS-COL-09 pass
-- description: jsonb
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN settings jsonb;
