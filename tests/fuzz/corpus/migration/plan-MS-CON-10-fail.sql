V2__add.sql
-- name: MS-CON-10 fail
-- description: dropping a foreign key locks both tables with AccessExclusiveLock
-- group: constraints
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE appointments ADD CONSTRAINT appointments_clinic_fkey FOREIGN KEY (clinic_id) REFERENCES clinics (id) NOT VALID;
ALTER TABLE appointments DROP CONSTRAINT appointments_clinic_fkey;
