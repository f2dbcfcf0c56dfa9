-- migsafe:phase expand
ALTER TABLE visits ADD COLUMN note text;
