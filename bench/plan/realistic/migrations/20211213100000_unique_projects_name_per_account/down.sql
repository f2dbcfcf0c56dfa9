ALTER TABLE projects DROP CONSTRAINT projects_account_id_name_key;
