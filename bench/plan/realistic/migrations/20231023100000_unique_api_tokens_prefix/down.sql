DROP INDEX api_tokens_prefix_key;
