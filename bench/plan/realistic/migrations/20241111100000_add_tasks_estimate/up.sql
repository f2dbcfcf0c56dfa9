ALTER TABLE tasks ADD COLUMN estimate_minutes integer CHECK (estimate_minutes >= 0);
