DROP TABLE recurring_task_rules;
