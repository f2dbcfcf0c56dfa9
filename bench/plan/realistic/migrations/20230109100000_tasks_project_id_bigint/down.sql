ALTER TABLE tasks ALTER COLUMN project_id TYPE integer;
