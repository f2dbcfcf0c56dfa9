-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY visits_at_idx ON visits (at);
