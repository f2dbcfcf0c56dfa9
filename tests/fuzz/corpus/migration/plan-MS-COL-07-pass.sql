20240101120000_init.sql
-- name: MS-COL-07 pass
-- description: a new bigint column, kept in sync and swapped later
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE appointments ADD COLUMN id_new bigint;
