-- Done tasks get their last update as completion time. Batched by the job runner;
-- this migration only does the first, small batch of recent ones.
UPDATE tasks SET completed_at = updated_at
WHERE status = 'done' AND completed_at IS NULL AND updated_at > now() - interval '7 days';
