-- task_watchers was created without a key; duplicates were removed by hand.
ALTER TABLE task_watchers ADD PRIMARY KEY (task_id, user_id);
