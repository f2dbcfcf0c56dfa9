DROP TABLE task_watchers;
