CREATE TABLE invitations (
    id serial PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email citext NOT NULL,
    token text NOT NULL UNIQUE DEFAULT encode(gen_random_bytes(24), 'hex'),
    invited_by_id integer REFERENCES users (id),
    accepted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
