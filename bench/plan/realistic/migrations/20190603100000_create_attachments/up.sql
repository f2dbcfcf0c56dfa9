CREATE TABLE attachments (
    id serial PRIMARY KEY,
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    uploaded_by_id integer REFERENCES users (id) ON DELETE SET NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    byte_size bigint NOT NULL,
    storage_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_task_id_idx ON attachments (task_id);
