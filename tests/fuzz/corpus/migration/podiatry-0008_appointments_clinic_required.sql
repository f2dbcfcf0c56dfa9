20240101120000_init.sql
-- Release 7: every appointment takes place in a clinic. Risky on a large table: SET NOT
-- NULL scans the whole table under an ACCESS EXCLUSIVE lock.
ALTER TABLE appointments ALTER COLUMN clinic_id SET NOT NULL;
