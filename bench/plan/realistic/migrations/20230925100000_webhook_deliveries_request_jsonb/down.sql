ALTER TABLE webhook_deliveries ALTER COLUMN request_body TYPE text;
