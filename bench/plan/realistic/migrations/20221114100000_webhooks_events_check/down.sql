ALTER TABLE webhooks DROP CONSTRAINT webhooks_events_not_empty;
