-- Sign in with Google / Microsoft.
CREATE TABLE identities (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider text NOT NULL,
    uid text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, uid)
);
CREATE INDEX identities_user_id_idx ON identities (user_id);
