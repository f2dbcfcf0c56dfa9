CREATE TABLE feature_flags (
    key text PRIMARY KEY,
    description text,
    enabled_globally boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE account_feature_flags (
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    flag_key text NOT NULL REFERENCES feature_flags (key) ON DELETE CASCADE,
    enabled boolean NOT NULL,
    PRIMARY KEY (account_id, flag_key)
);
