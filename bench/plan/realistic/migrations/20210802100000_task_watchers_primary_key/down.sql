ALTER TABLE task_watchers DROP CONSTRAINT task_watchers_pkey;
