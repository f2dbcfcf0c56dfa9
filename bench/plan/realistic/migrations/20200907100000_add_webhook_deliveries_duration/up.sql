ALTER TABLE webhook_deliveries ADD COLUMN duration_ms integer;
ALTER TABLE webhook_deliveries ADD COLUMN response_body text;
