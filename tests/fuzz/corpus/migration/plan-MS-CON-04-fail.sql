20240101120000_init.sql
-- name: MS-CON-04 fail
-- description: an exclusion constraint builds its index under AccessExclusiveLock
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap EXCLUDE USING gist (professional_id WITH =, during WITH &&);
