ALTER TABLE api_tokens ALTER COLUMN token_digest TYPE text USING encode(token_digest, 'hex');
