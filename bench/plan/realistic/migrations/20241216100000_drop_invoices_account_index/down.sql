CREATE INDEX invoices_account_id_idx ON invoices (account_id);
