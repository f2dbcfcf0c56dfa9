0003_x.up.sql
-- name: MS-IDX-03 fail
-- description: REINDEX without CONCURRENTLY blocks writes and most reads
-- group: indexes
SET lock_timeout = '2s';
REINDEX TABLE appointments;
