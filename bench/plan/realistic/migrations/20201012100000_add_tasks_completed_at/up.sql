ALTER TABLE tasks ADD COLUMN completed_at timestamptz;
