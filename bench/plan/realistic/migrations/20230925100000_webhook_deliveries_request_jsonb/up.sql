-- Search deliveries by payload field: text -> jsonb.
ALTER TABLE webhook_deliveries ALTER COLUMN request_body TYPE jsonb USING request_body::jsonb;
