0002_do.sql
-- migsafe:no-transaction
DO $$BEGIN PERFORM 1; END$$;
CREATE INDEX CONCURRENTLY i ON t (a);
