-- migsafe:phase expand
-- The staging drill's example set (docker/compose.staging.yaml): replace it with your own
-- migration directory through MIGRATIONS_DIR.
CREATE TABLE visits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
