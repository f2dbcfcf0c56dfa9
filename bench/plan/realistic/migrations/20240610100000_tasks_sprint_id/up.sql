SET lock_timeout = '3s';
ALTER TABLE tasks ADD COLUMN sprint_id bigint REFERENCES project_sprints (id) ON DELETE SET NULL;
