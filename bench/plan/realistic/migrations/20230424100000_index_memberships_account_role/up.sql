CREATE INDEX memberships_account_id_role_idx ON memberships (account_id, role);
