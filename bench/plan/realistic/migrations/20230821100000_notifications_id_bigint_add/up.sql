-- notifications.id (serial) at 1.6 billion. Expand step with a new column and trigger.
SET lock_timeout = '3s';
ALTER TABLE notifications ADD COLUMN id_big bigint;
CREATE OR REPLACE FUNCTION notifications_fill_id_big() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.id_big := NEW.id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER notifications_fill_id_big BEFORE INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_fill_id_big();
