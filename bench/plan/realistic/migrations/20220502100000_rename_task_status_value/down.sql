ALTER TYPE task_status RENAME VALUE 'canceled' TO 'cancelled';
