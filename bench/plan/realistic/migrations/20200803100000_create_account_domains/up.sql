CREATE TABLE account_domains (
    id serial PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    domain citext NOT NULL UNIQUE,
    verified_at timestamptz,
    verification_token text NOT NULL DEFAULT encode(gen_random_bytes(16), 'hex'),
    created_at timestamptz NOT NULL DEFAULT now()
);
