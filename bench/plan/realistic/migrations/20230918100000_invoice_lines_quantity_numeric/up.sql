ALTER TABLE invoice_lines ALTER COLUMN quantity TYPE numeric(12,3) USING quantity::numeric;
