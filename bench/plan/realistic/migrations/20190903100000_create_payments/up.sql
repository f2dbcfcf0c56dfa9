CREATE TABLE payments (
    id serial PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoices (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    provider text NOT NULL DEFAULT 'stripe',
    provider_charge_id text UNIQUE,
    succeeded_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_id_idx ON payments (invoice_id);
