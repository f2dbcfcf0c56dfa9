DROP TABLE task_templates;
