ALTER TABLE projects ADD CONSTRAINT projects_account_id_name_key UNIQUE (account_id, name);
