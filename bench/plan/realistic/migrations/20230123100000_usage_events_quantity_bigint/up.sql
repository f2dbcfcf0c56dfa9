-- Found before it mattered: API calls are counted in batches of millions.
ALTER TABLE usage_events ALTER COLUMN quantity TYPE bigint;
