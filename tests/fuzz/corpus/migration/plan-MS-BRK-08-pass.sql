0001_create.sql
-- name: MS-BRK-08 pass
-- description: creating the new schema beside the old one
-- group: breaking
CREATE SCHEMA archive;
