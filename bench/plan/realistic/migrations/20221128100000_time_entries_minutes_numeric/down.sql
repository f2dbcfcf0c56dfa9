ALTER TABLE time_entries ALTER COLUMN minutes TYPE integer;
