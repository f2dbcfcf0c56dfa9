0003_x.up.sql
-- name: MS-BRK-02 fail
-- description: RENAME COLUMN breaks running application versions
-- group: breaking
SET lock_timeout = '2s';
ALTER TABLE professionals RENAME COLUMN city TO town;
