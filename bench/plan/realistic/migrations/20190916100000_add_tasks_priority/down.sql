ALTER TABLE tasks DROP CONSTRAINT tasks_priority_check;
ALTER TABLE tasks DROP COLUMN priority;
