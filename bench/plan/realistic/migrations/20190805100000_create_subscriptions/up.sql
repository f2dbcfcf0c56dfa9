CREATE TABLE subscriptions (
    id serial PRIMARY KEY,
    account_id integer NOT NULL UNIQUE REFERENCES accounts (id),
    stripe_subscription_id text UNIQUE,
    plan text NOT NULL,
    seats integer NOT NULL DEFAULT 1 CHECK (seats > 0),
    current_period_end timestamptz,
    canceled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER subscriptions_set_updated_at BEFORE UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
