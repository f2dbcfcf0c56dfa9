ALTER TABLE notifications ALTER COLUMN payload SET DEFAULT '{}'::json;
