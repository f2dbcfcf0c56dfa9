-- Show the first characters of a token in the UI; new tokens fill it.
ALTER TABLE api_tokens ADD COLUMN prefix varchar(8);
