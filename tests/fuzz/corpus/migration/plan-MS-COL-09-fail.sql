0003_x.up.sql
-- name: MS-COL-09 fail
-- description: a json column breaks DISTINCT and UNION
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN settings json;
