20240101120000_init.sql
-- name: MS-COL-05 fail
-- description: a STORED generated column rewrites the table
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED;
