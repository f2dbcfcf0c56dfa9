20240101120000_init.sql
-- migsafe:phase expand
-- A typo on the third line of the statement.
ALTER TABLE patients
    ADD COLUMN phone text;
ALTER TABLEE patients ADD COLUMN email text;
