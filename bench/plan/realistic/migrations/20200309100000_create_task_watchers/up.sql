CREATE TABLE task_watchers (
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_watchers_user_id_idx ON task_watchers (user_id);
