SET lock_timeout = '3s';
ALTER TABLE tasks ADD COLUMN template_id bigint;
ALTER TABLE tasks ADD CONSTRAINT tasks_template_id_fkey FOREIGN KEY (template_id)
    REFERENCES task_templates (id) ON DELETE SET NULL NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_template_id_fkey;
