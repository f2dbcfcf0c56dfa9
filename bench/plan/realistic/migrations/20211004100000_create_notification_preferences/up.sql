CREATE TABLE notification_preferences (
    user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email_digest text NOT NULL DEFAULT 'daily',
    mentions boolean NOT NULL DEFAULT true,
    assignments boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER notification_preferences_set_updated_at BEFORE UPDATE ON notification_preferences
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
