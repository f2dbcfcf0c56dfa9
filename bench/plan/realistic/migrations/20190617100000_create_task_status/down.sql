ALTER TABLE tasks DROP COLUMN status;
DROP TYPE task_status;
