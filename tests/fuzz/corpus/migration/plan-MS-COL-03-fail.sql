0001_create.sql
-- name: MS-COL-03 fail
-- description: a volatile default rewrites the table
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
