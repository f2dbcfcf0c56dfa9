-- Quarter-hour precision.
ALTER TABLE time_entries ALTER COLUMN minutes TYPE numeric(6,2);
