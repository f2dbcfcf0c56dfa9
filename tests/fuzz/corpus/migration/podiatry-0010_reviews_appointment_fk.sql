V2__add.sql
-- Release 9: a review belongs to an appointment. Risky: without NOT VALID the foreign
-- key is checked against every existing row while both tables are locked.
ALTER TABLE reviews
    ADD CONSTRAINT reviews_appointment_id_fkey
    FOREIGN KEY (appointment_id) REFERENCES appointments (id);
