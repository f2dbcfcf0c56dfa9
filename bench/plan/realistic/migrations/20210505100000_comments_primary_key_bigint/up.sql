SET lock_timeout = '3s';
ALTER TABLE comments ALTER COLUMN id_big SET NOT NULL;
ALTER TABLE comments DROP CONSTRAINT comments_pkey;
ALTER TABLE comments ADD CONSTRAINT comments_pkey PRIMARY KEY USING INDEX comments_id_big_key;
ALTER TABLE comments RENAME COLUMN id TO id_old;
ALTER TABLE comments RENAME COLUMN id_big TO id;
ALTER SEQUENCE comments_id_seq OWNED BY comments.id;
ALTER TABLE comments ALTER COLUMN id SET DEFAULT nextval('comments_id_seq');
ALTER TABLE comments ALTER COLUMN id_old DROP DEFAULT;
ALTER TABLE comments ALTER COLUMN id_old DROP NOT NULL;
-- Views follow columns, not names: project_activity still reads id_old. Repoint it.
DROP VIEW project_activity;
CREATE VIEW project_activity AS
SELECT t.project_id, t.id AS task_id, c.id AS comment_id, c.created_at AS happened_at
FROM tasks t
JOIN comments c ON c.task_id = t.id;
