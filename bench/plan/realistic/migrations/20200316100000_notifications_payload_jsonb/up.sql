-- We query inside payloads now; json -> jsonb.
ALTER TABLE notifications ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
