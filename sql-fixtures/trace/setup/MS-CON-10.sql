ALTER TABLE appointments ADD COLUMN clinic_id bigint;
