-- migsafe:no-transaction
-- Deliveries older than 90 days were deleted by the new retention job; give the space
-- back to the OS.
VACUUM FULL webhook_deliveries;
