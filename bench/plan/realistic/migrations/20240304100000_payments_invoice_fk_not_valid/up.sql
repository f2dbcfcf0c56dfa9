-- Payments may reference credit notes too; the invoice FK is rebuilt as NOT VALID first.
SET lock_timeout = '3s';
ALTER TABLE payments ADD COLUMN credit_note_id bigint;
ALTER TABLE payments ADD CONSTRAINT payments_credit_note_id_fkey
    FOREIGN KEY (credit_note_id) REFERENCES credit_notes (id) NOT VALID;
