ALTER TABLE patients DROP COLUMN phone;
