ALTER TABLE patients ADD COLUMN city text;
