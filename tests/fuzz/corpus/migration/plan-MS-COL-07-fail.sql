0003_x.down.sql
-- name: MS-COL-07 fail
-- description: int to bigint rewrites the table and its indexes
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE appointments ALTER COLUMN id TYPE bigint;
