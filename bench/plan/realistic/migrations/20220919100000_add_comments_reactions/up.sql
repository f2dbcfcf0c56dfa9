ALTER TABLE comments ADD COLUMN reactions jsonb NOT NULL DEFAULT '{}';
