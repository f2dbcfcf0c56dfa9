ALTER TABLE webhooks DROP CONSTRAINT webhooks_url_https;
