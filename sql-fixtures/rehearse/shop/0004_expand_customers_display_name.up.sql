-- migsafe:phase expand
ALTER TABLE customers ADD COLUMN display_name text;
