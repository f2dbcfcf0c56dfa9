-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_credit_note_id_idx ON payments (credit_note_id);
