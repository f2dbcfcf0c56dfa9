ALTER TABLE projects RENAME COLUMN summary TO description;
