ALTER TABLE tasks DROP COLUMN template_id;
