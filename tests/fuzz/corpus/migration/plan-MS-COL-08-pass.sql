V2__add.sql
-- name: MS-COL-08 pass
-- description: a type change on a table created in the same migration
-- group: columns
SET lock_timeout = '2s';
CREATE TABLE notes (id bigint PRIMARY KEY, body varchar(200));
ALTER TABLE notes ALTER COLUMN body TYPE text;
