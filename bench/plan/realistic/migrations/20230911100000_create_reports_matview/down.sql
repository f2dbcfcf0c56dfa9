DROP MATERIALIZED VIEW weekly_completed_tasks;
