DROP TRIGGER IF EXISTS notifications_fill_id_big ON notifications;
DROP FUNCTION IF EXISTS notifications_fill_id_big();
ALTER TABLE notifications DROP COLUMN IF EXISTS id_big;
