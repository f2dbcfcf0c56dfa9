-- Verification moved to DNS TXT records with per-request tokens.
ALTER TABLE account_domains DROP COLUMN verification_token;
