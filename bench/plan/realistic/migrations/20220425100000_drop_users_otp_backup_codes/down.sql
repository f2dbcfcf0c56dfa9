ALTER TABLE users ADD COLUMN otp_backup_codes text[];
