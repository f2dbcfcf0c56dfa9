0003_x.up.sql
-- Release 5, backfill: copy the old column into the new one, in batches of 1000 ids.
-- migsafe:phase backfill
-- migsafe:backfill key=id batch=1000 pause=50ms
UPDATE professionals
   SET display_name = full_name
 WHERE display_name IS NULL;
