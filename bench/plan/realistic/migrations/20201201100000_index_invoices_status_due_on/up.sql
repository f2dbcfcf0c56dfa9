-- Dunning job: open invoices past due. Partial index, built without blocking.
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY invoices_open_due_on_idx ON invoices (due_on) WHERE status = 'open';
