-- Ordering for the label picker; serial numbers existing labels in one go.
ALTER TABLE labels ADD COLUMN position serial;
