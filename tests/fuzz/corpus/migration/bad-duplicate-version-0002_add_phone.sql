20240101120000_init.sql
-- migsafe:phase expand
ALTER TABLE patients ADD COLUMN phone text;
