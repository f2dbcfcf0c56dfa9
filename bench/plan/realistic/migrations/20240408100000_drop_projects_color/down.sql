ALTER TABLE projects ADD COLUMN color text;
UPDATE projects SET color = settings ->> 'color';
