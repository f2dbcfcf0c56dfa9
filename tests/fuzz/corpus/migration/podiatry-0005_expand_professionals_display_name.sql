V2__add.sql
-- Release 5: professionals choose how their name is shown. Expand first: a nullable
-- column without a default is a catalog-only change.
-- migsafe:phase expand
ALTER TABLE professionals ADD COLUMN display_name text;
