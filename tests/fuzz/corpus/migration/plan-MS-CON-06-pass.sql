20240101120000_init.sql
-- name: MS-CON-06 pass
-- description: ADD FOREIGN KEY NOT VALID (VALIDATE comes in a later migration)
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE appointments ADD CONSTRAINT appointments_professional_fkey FOREIGN KEY (professional_id) REFERENCES professionals (id) NOT VALID;
