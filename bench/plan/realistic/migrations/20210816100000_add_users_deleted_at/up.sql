-- Soft delete for GDPR requests: the row stays, personal data is scrubbed.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
