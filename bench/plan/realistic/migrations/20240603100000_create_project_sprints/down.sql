DROP TABLE project_sprints;
