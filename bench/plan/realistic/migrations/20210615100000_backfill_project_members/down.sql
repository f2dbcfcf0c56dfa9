DELETE FROM project_members;
