CREATE TABLE saved_filters (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id integer REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL,
    query jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_filters_user_id_idx ON saved_filters (user_id);
