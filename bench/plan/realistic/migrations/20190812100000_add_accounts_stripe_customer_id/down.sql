ALTER TABLE accounts DROP COLUMN stripe_customer_id;
