ALTER TABLE notifications DROP COLUMN priority;
