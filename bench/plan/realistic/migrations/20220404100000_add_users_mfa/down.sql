ALTER TABLE users DROP COLUMN otp_backup_codes;
ALTER TABLE users DROP COLUMN otp_enabled_at;
ALTER TABLE users DROP COLUMN otp_secret_encrypted;
