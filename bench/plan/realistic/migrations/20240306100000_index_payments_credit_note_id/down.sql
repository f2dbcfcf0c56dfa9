-- migsafe:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS payments_credit_note_id_idx;
