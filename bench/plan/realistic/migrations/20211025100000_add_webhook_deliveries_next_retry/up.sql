ALTER TABLE webhook_deliveries ADD COLUMN attempt smallint NOT NULL DEFAULT 1;
ALTER TABLE webhook_deliveries ADD COLUMN next_retry_at timestamptz;
