-- Billing plans arrive; everybody starts on free. A constant default is metadata only.
ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';
