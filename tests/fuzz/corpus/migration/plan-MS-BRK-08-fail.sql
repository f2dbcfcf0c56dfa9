20240101120000_init.sql
-- name: MS-BRK-08 fail
-- description: renaming a schema breaks every query that names it
-- group: breaking
ALTER SCHEMA legacy RENAME TO archive;
