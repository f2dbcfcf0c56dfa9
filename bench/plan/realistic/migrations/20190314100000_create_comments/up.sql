CREATE TABLE comments (
    id serial PRIMARY KEY,
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id integer REFERENCES users (id) ON DELETE SET NULL,
    body text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE INDEX comments_task_id_idx ON comments (task_id);
