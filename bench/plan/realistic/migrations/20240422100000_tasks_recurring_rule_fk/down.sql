ALTER TABLE tasks DROP COLUMN recurring_rule_id;
