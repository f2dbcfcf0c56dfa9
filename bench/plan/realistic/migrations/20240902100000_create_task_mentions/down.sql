DROP TABLE task_mentions;
