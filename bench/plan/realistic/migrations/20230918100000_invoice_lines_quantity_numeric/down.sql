ALTER TABLE invoice_lines ALTER COLUMN quantity TYPE integer USING quantity::integer;
