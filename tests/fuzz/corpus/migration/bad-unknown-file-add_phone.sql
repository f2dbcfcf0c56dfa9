0003_x.up.sql
-- migsafe:phase expand
ALTER TABLE patients ADD COLUMN phone text;
