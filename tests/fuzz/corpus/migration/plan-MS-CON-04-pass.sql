0001_create.sql
-- name: MS-CON-04 pass
-- description: an exclusion constraint on a table created in the same migration
-- group: constraints
SET lock_timeout = '2s';
CREATE TABLE rooms (id bigint PRIMARY KEY, booked tstzrange);
ALTER TABLE rooms ADD CONSTRAINT rooms_no_overlap EXCLUDE USING gist (booked WITH &&);
