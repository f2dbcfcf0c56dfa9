ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_public_id_not_null;
