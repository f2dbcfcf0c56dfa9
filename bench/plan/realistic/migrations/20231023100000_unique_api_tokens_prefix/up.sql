CREATE UNIQUE INDEX api_tokens_prefix_key ON api_tokens (prefix);
