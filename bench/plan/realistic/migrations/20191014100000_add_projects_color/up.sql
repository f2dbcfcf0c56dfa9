ALTER TABLE projects ADD COLUMN color text;
