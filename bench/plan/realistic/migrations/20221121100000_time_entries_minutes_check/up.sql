SET lock_timeout = '3s';
ALTER TABLE time_entries ADD CONSTRAINT time_entries_minutes_max CHECK (minutes <= 1440) NOT VALID;
