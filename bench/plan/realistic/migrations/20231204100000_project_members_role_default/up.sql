ALTER TABLE project_members ALTER COLUMN role SET DEFAULT 'guest';
