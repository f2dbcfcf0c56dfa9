CREATE INDEX projects_account_id_name_idx ON projects (account_id, lower(name));
