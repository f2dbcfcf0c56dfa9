CREATE TABLE project_members (
    project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role membership_role NOT NULL DEFAULT 'member',
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_id_idx ON project_members (user_id);
