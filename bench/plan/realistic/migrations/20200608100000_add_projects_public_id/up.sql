-- Learned from users: add nullable, default for new rows, backfill in batches.
ALTER TABLE projects ADD COLUMN public_id uuid;
ALTER TABLE projects ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
