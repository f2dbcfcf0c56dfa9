SET lock_timeout = '3s';
ALTER TABLE projects ADD CONSTRAINT projects_public_id_not_null CHECK (public_id IS NOT NULL) NOT VALID;
