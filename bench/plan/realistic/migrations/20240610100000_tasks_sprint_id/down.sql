ALTER TABLE tasks DROP COLUMN sprint_id;
