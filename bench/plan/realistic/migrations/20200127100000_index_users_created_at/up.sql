-- Growth dashboard: sign-ups per day.
CREATE INDEX users_created_at_idx ON users (created_at);
