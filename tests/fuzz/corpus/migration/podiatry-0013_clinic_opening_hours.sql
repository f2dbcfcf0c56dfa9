20240101120000_init.sql
-- Release 12: opening hours per clinic and weekday.
-- migsafe:phase expand
CREATE TYPE weekday AS ENUM ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');

CREATE TABLE clinic_opening_hours (
    clinic_id bigint NOT NULL REFERENCES clinics (id),
    day weekday NOT NULL,
    opens time NOT NULL,
    closes time NOT NULL,
    PRIMARY KEY (clinic_id, day)
);

/* Existing clinics open on weekdays by default. */
DO $$
BEGIN
    INSERT INTO clinic_opening_hours (clinic_id, day, opens, closes)
    SELECT c.id, d.day, '09:00', '17:00'
      FROM clinics c
     CROSS JOIN unnest(ARRAY['mon', 'tue', 'wed', 'thu', 'fri']::weekday[]) AS d(day);
END
$$;
