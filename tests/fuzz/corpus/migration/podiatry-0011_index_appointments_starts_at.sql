0003_x.up.sql
-- Release 10: search appointments by date, the safe way. CREATE INDEX CONCURRENTLY cannot
-- run inside a transaction block.
-- migsafe:phase expand
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS appointments_starts_at_idx
    ON appointments (starts_at);
