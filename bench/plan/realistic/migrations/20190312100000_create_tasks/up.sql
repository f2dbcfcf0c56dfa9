CREATE TABLE tasks (
    id serial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title varchar(200) NOT NULL,
    body text,
    assignee_id integer REFERENCES users (id) ON DELETE SET NULL,
    position integer NOT NULL DEFAULT 0,
    done boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_project_id_position_idx ON tasks (project_id, position);
CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
