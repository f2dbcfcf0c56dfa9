-- Support asked for "all deliveries of event X". Quick index.
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event, attempted_at);
