0003_x.down.sql
-- name: MS-CON-06 fail
-- description: ADD FOREIGN KEY blocks writes on both tables while it scans them
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE appointments ADD CONSTRAINT appointments_professional_fkey FOREIGN KEY (professional_id) REFERENCES professionals (id);
