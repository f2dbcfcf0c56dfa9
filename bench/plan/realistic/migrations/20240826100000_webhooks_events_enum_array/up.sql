-- Event names as an enum array.
CREATE TYPE webhook_event AS ENUM ('task.created', 'task.updated', 'task.deleted', 'comment.created', 'invoice.paid');
ALTER TABLE webhooks ALTER COLUMN events DROP DEFAULT;
ALTER TABLE webhooks ALTER COLUMN events TYPE webhook_event[] USING events::webhook_event[];
ALTER TABLE webhooks ALTER COLUMN events SET DEFAULT '{}';
