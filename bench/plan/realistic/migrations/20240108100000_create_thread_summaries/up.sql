CREATE TABLE thread_summaries (
    task_id integer PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    summary text NOT NULL,
    model text NOT NULL,
    generated_at timestamptz NOT NULL DEFAULT now()
);
