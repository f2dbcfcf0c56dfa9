0003_x.down.sql
-- name: MS-BRK-02 pass
-- description: add the new column instead
-- group: breaking
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN town text;
