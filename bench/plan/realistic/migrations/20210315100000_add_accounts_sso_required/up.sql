ALTER TABLE accounts ADD COLUMN sso_required boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN sso_domain_id integer REFERENCES account_domains (id);
