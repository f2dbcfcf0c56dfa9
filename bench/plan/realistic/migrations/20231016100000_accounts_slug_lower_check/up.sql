SET lock_timeout = '3s';
ALTER TABLE accounts ADD CONSTRAINT accounts_slug_lower CHECK (slug = lower(slug)) NOT VALID;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_slug_lower;
