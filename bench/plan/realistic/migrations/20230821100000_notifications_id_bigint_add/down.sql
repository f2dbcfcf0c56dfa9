DROP TRIGGER notifications_fill_id_big ON notifications;
DROP FUNCTION notifications_fill_id_big();
ALTER TABLE notifications DROP COLUMN id_big;
