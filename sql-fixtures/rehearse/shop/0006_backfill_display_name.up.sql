-- migsafe:phase backfill
-- migsafe:backfill key=id batch=25
UPDATE customers SET display_name = split_part(email, '@', 1) WHERE display_name IS NULL;
