UPDATE tasks SET status = 'open' WHERE status = 'done';
