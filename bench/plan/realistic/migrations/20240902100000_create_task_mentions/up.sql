CREATE TABLE task_mentions (
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX task_mentions_user_id_idx ON task_mentions (user_id);
