ALTER TABLE patients ADD COLUMN email text;
