-- Same for the delivery index; this one was run during the night.
REINDEX INDEX webhook_deliveries_webhook_id_idx;
