SET lock_timeout = '3s';
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at WHERE deleted_at IS NULL;
