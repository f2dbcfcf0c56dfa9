CREATE TABLE task_dependencies (
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    depends_on_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, depends_on_id),
    CHECK (task_id <> depends_on_id)
);
CREATE INDEX task_dependencies_depends_on_id_idx ON task_dependencies (depends_on_id);
