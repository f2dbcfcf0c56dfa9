0003_x.up.sql
-- name: MS-OPS-02 fail
-- description: a scanning statement without statement_timeout
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE professionals ALTER COLUMN city SET NOT NULL;
