0003_x.down.sql
-- name: MS-BRK-05 fail
-- description: DROP SCHEMA CASCADE drops everything inside
-- group: breaking
SET lock_timeout = '2s';
DROP SCHEMA legacy CASCADE;
