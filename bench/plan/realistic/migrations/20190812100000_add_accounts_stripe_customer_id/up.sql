ALTER TABLE accounts ADD COLUMN stripe_customer_id text;
