-- Keep when a project was archived; the boolean stays for now.
ALTER TABLE projects ADD COLUMN archived_at timestamptz;
