ALTER TYPE invoice_status ADD VALUE IF NOT EXISTS 'uncollectible' AFTER 'void';
