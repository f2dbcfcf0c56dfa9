V2__add.sql
-- name: MS-COL-11 fail
-- description: changing the default of an existing column
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE appointments ALTER COLUMN status SET DEFAULT 'booked';
