0001_create.sql
-- name: MS-CON-07 fail
-- description: ADD COLUMN REFERENCES locks the referenced table too
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE appointments ADD COLUMN clinic_id bigint REFERENCES clinics (id);
