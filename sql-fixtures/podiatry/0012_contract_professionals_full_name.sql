-- Release 11: every reader uses display_name now; drop the old column.
-- migsafe:phase contract
-- migsafe:allow MS-COL-01 professionals holds a few thousand rows; the lock is brief
-- migsafe:requires-flag professionals-display-name env=production on-for=7d
ALTER TABLE professionals ALTER COLUMN display_name SET NOT NULL;
ALTER TABLE professionals DROP COLUMN full_name;
