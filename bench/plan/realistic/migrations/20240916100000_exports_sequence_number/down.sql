ALTER TABLE exports DROP COLUMN sequence_no;
