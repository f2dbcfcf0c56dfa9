ALTER TABLE projects DROP COLUMN visibility;
