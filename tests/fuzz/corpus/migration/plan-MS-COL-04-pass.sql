0003_x.down.sql
-- name: MS-COL-04 pass
-- description: add the column nullable, then set the default for new rows
-- group: columns
-- pg-version: 10
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN active boolean;
ALTER TABLE professionals ALTER COLUMN active SET DEFAULT true;
