-- Backup codes live in their own table since the MFA rework.
SET lock_timeout = '3s';
ALTER TABLE users DROP COLUMN otp_backup_codes;
