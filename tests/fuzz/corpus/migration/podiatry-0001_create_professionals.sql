0003_x.up.sql
-- Release 1: the directory starts with the podiatrists themselves.
-- migsafe:phase expand
CREATE TABLE professionals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name text NOT NULL,
    email text NOT NULL UNIQUE,
    city text,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE professionals IS 'Podiatrists listed in the directory';
