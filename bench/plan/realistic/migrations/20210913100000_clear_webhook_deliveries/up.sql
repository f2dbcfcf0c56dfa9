-- The delivery log is debugging data; start from zero with the new format.
DELETE FROM webhook_deliveries;
