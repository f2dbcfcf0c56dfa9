-- Tasks created by a rule point at it.
ALTER TABLE tasks ADD COLUMN recurring_rule_id bigint;
ALTER TABLE tasks ADD CONSTRAINT tasks_recurring_rule_id_fkey FOREIGN KEY (recurring_rule_id)
    REFERENCES recurring_task_rules (id) ON DELETE SET NULL;
