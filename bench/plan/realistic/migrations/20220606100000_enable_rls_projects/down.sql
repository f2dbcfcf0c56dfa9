DROP POLICY projects_reporting ON projects;
ALTER TABLE projects DISABLE ROW LEVEL SECURITY;
