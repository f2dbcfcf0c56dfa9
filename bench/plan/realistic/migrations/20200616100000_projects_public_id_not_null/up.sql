-- The validated CHECK lets SET NOT NULL skip its scan (PostgreSQL 12+).
SET lock_timeout = '3s';
ALTER TABLE projects VALIDATE CONSTRAINT projects_public_id_not_null;
