DELETE FROM task_mentions;
