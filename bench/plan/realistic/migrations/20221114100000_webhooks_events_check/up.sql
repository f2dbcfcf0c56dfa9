-- Event names are validated by the API; the database should say so too.
ALTER TABLE webhooks ADD CONSTRAINT webhooks_events_not_empty CHECK (cardinality(events) > 0);
