ALTER TABLE users DROP COLUMN public_id;
