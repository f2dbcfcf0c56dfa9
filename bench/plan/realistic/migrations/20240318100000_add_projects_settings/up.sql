ALTER TABLE projects ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
