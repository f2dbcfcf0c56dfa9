ALTER TABLE account_domains ADD COLUMN verification_token text NOT NULL DEFAULT encode(gen_random_bytes(16), 'hex');
