0003_x.up.sql
ALTER TABLE patients DROP COLUMN phone;
