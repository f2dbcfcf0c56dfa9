20240101120000_init.sql
-- name: MS-OPS-08 fail
-- description: ENABLE ROW LEVEL SECURITY takes AccessExclusiveLock
-- group: operations
SET lock_timeout = '2s';
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
