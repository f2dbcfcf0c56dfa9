0001_create.sql
-- name: MS-IDX-02 fail
-- description: DROP INDEX takes AccessExclusiveLock on the table
-- group: indexes
SET lock_timeout = '2s';
DROP INDEX professionals_city_idx;
