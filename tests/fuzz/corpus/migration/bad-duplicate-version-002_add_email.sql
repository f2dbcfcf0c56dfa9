0001_create.sql
ALTER TABLE patients ADD COLUMN email text;
