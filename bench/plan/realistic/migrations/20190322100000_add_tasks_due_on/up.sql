ALTER TABLE tasks ADD COLUMN due_on date;
