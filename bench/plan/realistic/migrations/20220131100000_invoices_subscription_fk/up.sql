SET lock_timeout = '3s';
ALTER TABLE invoices ADD COLUMN subscription_id integer;
ALTER TABLE invoices ADD CONSTRAINT invoices_subscription_id_fkey
    FOREIGN KEY (subscription_id) REFERENCES subscriptions (id);
