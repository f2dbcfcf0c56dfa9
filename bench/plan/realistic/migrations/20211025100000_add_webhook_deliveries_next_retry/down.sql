ALTER TABLE webhook_deliveries DROP COLUMN next_retry_at;
ALTER TABLE webhook_deliveries DROP COLUMN attempt;
