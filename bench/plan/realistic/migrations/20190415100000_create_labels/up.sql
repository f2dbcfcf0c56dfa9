CREATE TABLE labels (
    id serial PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name text NOT NULL,
    color char(7) NOT NULL DEFAULT '#cccccc',
    UNIQUE (account_id, name)
);
CREATE TABLE task_labels (
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    label_id integer NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, label_id)
);
CREATE INDEX task_labels_label_id_idx ON task_labels (label_id);
