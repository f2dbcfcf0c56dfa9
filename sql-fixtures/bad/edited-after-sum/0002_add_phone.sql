-- migsafe:phase expand
ALTER TABLE patients ADD COLUMN phone varchar(20);
