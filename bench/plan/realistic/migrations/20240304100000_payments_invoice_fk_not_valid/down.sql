ALTER TABLE payments DROP COLUMN credit_note_id;
