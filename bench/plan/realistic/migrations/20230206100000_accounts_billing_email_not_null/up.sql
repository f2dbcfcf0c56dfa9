SET lock_timeout = '3s';
ALTER TABLE accounts ALTER COLUMN billing_email SET NOT NULL;
