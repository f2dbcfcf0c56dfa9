0001_create.sql
-- name: MS-BRK-06 fail
-- description: TRUNCATE CASCADE empties the children too
-- group: breaking
SET lock_timeout = '2s';
TRUNCATE appointments CASCADE;
