ALTER TABLE users ADD COLUMN otp_secret_encrypted bytea;
ALTER TABLE users ADD COLUMN otp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN otp_backup_codes text[];
