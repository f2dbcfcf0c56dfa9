V2__add.sql
-- name: MS-BRK-06 pass
-- description: a bounded DELETE
-- group: breaking
SET lock_timeout = '2s';
DELETE FROM appointments WHERE starts_at < '2020-01-01';
