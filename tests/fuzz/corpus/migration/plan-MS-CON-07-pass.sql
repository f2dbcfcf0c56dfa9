V2__add.sql
-- name: MS-CON-07 pass
-- description: add the column, then the foreign key NOT VALID
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE appointments ADD COLUMN clinic_id bigint,
    ADD CONSTRAINT appointments_clinic_fkey FOREIGN KEY (clinic_id) REFERENCES clinics (id) NOT VALID;
