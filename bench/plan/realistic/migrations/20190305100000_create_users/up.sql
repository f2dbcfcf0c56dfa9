CREATE TABLE users (
    id serial PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    password_digest text NOT NULL,
    full_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
