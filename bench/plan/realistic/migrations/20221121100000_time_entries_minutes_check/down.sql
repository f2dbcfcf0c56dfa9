ALTER TABLE time_entries DROP CONSTRAINT time_entries_minutes_max;
