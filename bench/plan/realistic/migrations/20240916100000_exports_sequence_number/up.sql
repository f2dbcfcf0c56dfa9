-- Per-install export numbering for support.
ALTER TABLE exports ADD COLUMN sequence_no bigint GENERATED ALWAYS AS IDENTITY;
