0003_x.down.sql
-- name: MS-OPS-02 pass
-- description: SET statement_timeout first
-- group: operations
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE professionals ALTER COLUMN city SET NOT NULL;
