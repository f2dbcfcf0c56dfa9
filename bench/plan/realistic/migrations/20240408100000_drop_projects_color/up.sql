ALTER TABLE projects DROP COLUMN color;
