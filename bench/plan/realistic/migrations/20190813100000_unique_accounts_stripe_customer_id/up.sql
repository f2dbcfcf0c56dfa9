-- Column is new and all NULL: the team thought the constraint would be instant.
ALTER TABLE accounts ADD CONSTRAINT accounts_stripe_customer_id_key UNIQUE (stripe_customer_id);
