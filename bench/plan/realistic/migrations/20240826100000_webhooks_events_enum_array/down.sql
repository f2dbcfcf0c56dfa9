ALTER TABLE webhooks ALTER COLUMN events DROP DEFAULT;
ALTER TABLE webhooks ALTER COLUMN events TYPE text[] USING events::text[];
ALTER TABLE webhooks ALTER COLUMN events SET DEFAULT '{}';
DROP TYPE webhook_event;
