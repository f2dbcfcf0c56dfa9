ALTER TABLE webhooks ALTER COLUMN events TYPE text[] USING events::text[];
DROP TYPE webhook_event;
