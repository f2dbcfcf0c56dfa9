V2__add.sql
-- name: MS-COL-06 fail
-- description: a serial column rewrites the table to fill the sequence
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE reviews ADD COLUMN position bigserial;
