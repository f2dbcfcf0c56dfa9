-- Store digests as raw bytes (half the size).
ALTER TABLE api_tokens ALTER COLUMN token_digest TYPE bytea USING decode(token_digest, 'hex');
