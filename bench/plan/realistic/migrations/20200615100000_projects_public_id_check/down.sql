ALTER TABLE projects DROP CONSTRAINT projects_public_id_not_null;
