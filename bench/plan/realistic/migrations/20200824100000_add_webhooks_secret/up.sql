-- Every webhook signs its payloads; existing hooks get a secret now.
ALTER TABLE webhooks ADD COLUMN secret text NOT NULL DEFAULT encode(gen_random_bytes(32), 'hex');
