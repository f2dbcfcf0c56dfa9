-- Markdown bodies are "description" everywhere in the API.
SET lock_timeout = '3s';
ALTER TABLE tasks RENAME COLUMN body TO description;
