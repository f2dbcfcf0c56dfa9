0003_x.up.sql
-- name: MS-COL-11 pass
-- description: setting the default of a column added in the same migration
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE appointments ADD COLUMN channel text;
ALTER TABLE appointments ALTER COLUMN channel SET DEFAULT 'web';
