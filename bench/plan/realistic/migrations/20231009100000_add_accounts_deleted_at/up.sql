ALTER TABLE accounts ADD COLUMN deleted_at timestamptz;
