CREATE TABLE time_entries (
    id bigserial PRIMARY KEY,
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id integer NOT NULL REFERENCES users (id),
    started_at timestamptz NOT NULL,
    minutes integer NOT NULL CHECK (minutes > 0),
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX time_entries_task_id_idx ON time_entries (task_id);
CREATE INDEX time_entries_user_id_started_at_idx ON time_entries (user_id, started_at);
