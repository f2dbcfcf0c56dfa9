-- Same for edited_at, forgetting the time zone this time.
ALTER TABLE comments ALTER COLUMN edited_at TYPE timestamptz;
