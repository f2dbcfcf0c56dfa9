-- Deliveries are updated once (response): leave room for HOT updates.
ALTER TABLE webhook_deliveries SET (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.02);
