-- migsafe:phase expand
ALTER TABLE patients ADD COLUMN phone text;
