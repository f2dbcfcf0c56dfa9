20240101120000_init.sql
-- name: MS-BRK-03 fail
-- description: RENAME TABLE breaks running application versions
-- group: breaking
SET lock_timeout = '2s';
ALTER TABLE professionals RENAME TO practitioners;
