-- First fill. Nobody reads the view yet.
REFRESH MATERIALIZED VIEW weekly_completed_tasks;
