-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_account_id_status_idx ON invoices (account_id, status);
