SET lock_timeout = '3s';
ALTER TABLE projects ALTER COLUMN public_id SET NOT NULL;
ALTER TABLE projects DROP CONSTRAINT projects_public_id_not_null;
