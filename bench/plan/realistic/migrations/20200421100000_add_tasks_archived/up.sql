ALTER TABLE tasks ADD COLUMN archived boolean NOT NULL DEFAULT false;
CREATE INDEX tasks_project_id_archived_idx ON tasks (project_id) WHERE NOT archived;
