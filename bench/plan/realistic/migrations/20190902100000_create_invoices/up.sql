CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'paid', 'void');
CREATE TABLE invoices (
    id serial PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    number text NOT NULL UNIQUE,
    status invoice_status NOT NULL DEFAULT 'draft',
    amount_cents integer NOT NULL,
    currency char(3) NOT NULL DEFAULT 'USD',
    issued_on date,
    due_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_account_id_idx ON invoices (account_id);
CREATE TRIGGER invoices_set_updated_at BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
