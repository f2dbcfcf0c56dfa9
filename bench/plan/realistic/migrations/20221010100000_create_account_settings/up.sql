CREATE TABLE account_settings (
    account_id integer PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    week_starts_on smallint NOT NULL DEFAULT 1 CHECK (week_starts_on BETWEEN 0 AND 6),
    default_project_visibility text NOT NULL DEFAULT 'account',
    data jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER account_settings_set_updated_at BEFORE UPDATE ON account_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
INSERT INTO account_settings (account_id) SELECT id FROM accounts;
