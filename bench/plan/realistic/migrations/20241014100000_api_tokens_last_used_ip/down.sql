ALTER TABLE api_tokens DROP COLUMN last_used_ip;
