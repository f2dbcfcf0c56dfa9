0001_create.sql
-- Release 4: patients review their podiatrist after an appointment.
-- migsafe:phase expand
CREATE TABLE reviews (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id bigint,
    professional_id bigint NOT NULL REFERENCES professionals (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
);
