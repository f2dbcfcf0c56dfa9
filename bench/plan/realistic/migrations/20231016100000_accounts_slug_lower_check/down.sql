ALTER TABLE accounts DROP CONSTRAINT accounts_slug_lower;
