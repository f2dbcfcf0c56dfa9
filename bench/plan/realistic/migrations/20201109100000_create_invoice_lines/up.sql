CREATE TABLE invoice_lines (
    id bigserial PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    description text NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    unit_amount_cents integer NOT NULL,
    position smallint NOT NULL DEFAULT 0
);
CREATE INDEX invoice_lines_invoice_id_idx ON invoice_lines (invoice_id);
