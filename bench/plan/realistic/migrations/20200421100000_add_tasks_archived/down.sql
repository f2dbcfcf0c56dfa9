DROP INDEX tasks_project_id_archived_idx;
ALTER TABLE tasks DROP COLUMN archived;
