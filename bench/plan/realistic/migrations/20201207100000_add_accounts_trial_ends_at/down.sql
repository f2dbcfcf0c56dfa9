ALTER TABLE accounts DROP COLUMN trial_ends_at;
