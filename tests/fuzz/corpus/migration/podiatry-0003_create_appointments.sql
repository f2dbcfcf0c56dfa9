20240101120000_init.sql
-- Release 3: booking. The index is created with the table, while it is still empty.
-- migsafe:phase expand
CREATE TABLE appointments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    professional_id bigint NOT NULL REFERENCES professionals (id),
    clinic_id bigint REFERENCES clinics (id),
    starts_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'booked'
);

CREATE INDEX appointments_professional_id_idx ON appointments (professional_id);
