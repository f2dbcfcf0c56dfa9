ALTER TABLE memberships DROP COLUMN last_seen_at;
