CREATE TABLE usage_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    metric text NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_events_account_id_recorded_at_idx ON usage_events (account_id, recorded_at);
