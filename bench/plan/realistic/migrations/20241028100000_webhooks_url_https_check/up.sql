ALTER TABLE webhooks ADD CONSTRAINT webhooks_url_https CHECK (url LIKE 'https://%');
