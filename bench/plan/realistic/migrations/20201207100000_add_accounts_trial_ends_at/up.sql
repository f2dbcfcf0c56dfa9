ALTER TABLE accounts ADD COLUMN trial_ends_at timestamptz DEFAULT now() + interval '14 days';
