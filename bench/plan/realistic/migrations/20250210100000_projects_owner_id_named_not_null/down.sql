ALTER TABLE projects DROP CONSTRAINT projects_owner_id_not_null;
