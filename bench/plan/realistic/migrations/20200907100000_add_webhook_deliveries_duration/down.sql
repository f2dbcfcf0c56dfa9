ALTER TABLE webhook_deliveries DROP COLUMN response_body;
ALTER TABLE webhook_deliveries DROP COLUMN duration_ms;
