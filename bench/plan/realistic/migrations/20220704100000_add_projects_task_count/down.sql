ALTER TABLE projects DROP COLUMN task_count;
