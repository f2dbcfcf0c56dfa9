ALTER TABLE tasks ADD COLUMN priority smallint NOT NULL DEFAULT 2;
ALTER TABLE tasks ADD CONSTRAINT tasks_priority_check CHECK (priority BETWEEN 0 AND 4);
