ALTER TABLE accounts DROP COLUMN sso_domain_id;
ALTER TABLE accounts DROP COLUMN sso_required;
