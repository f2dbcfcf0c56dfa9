DROP VIEW project_activity;
