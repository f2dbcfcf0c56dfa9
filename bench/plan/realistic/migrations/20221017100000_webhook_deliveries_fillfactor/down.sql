ALTER TABLE webhook_deliveries RESET (fillfactor, autovacuum_vacuum_scale_factor);
