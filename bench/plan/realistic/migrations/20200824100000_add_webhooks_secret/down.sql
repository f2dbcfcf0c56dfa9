ALTER TABLE webhooks DROP COLUMN secret;
