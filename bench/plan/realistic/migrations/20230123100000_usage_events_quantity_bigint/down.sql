ALTER TABLE usage_events ALTER COLUMN quantity TYPE integer;
