-- Rows for the podiatry set, usable once every migration in podiatry/ has been applied:
-- 200 professionals, 20 clinics (with opening hours), 2000 appointments, 600 reviews.
BEGIN;

INSERT INTO professionals (display_name, email, city)
SELECT 'Dr ' || initcap(md5(i::text)::varchar(8)), 'pro' || i || '@example.org',
       (ARRAY['Lyon', 'Paris', 'Nantes', 'Lille'])[1 + i % 4]
  FROM generate_series(1, 200) AS i;

INSERT INTO clinics (name, city, postcode)
SELECT 'Clinic ' || i, (ARRAY['Lyon', 'Paris', 'Nantes', 'Lille'])[1 + i % 4],
       lpad((69000 + i)::text, 5, '0')
  FROM generate_series(1, 20) AS i;

INSERT INTO clinic_opening_hours (clinic_id, day, opens, closes)
SELECT c.id, d.day, '08:30', '18:00'
  FROM clinics c
 CROSS JOIN unnest(ARRAY['mon', 'tue', 'wed', 'thu', 'fri']::weekday[]) AS d(day)
    ON CONFLICT DO NOTHING;

INSERT INTO appointments (professional_id, clinic_id, starts_at, status)
SELECT 1 + i % 200, 1 + i % 20,
       timestamptz '2026-01-05 09:00+00' + (i || ' hours')::interval,
       (ARRAY['booked', 'done', 'cancelled'])[1 + i % 3]
  FROM generate_series(1, 2000) AS i;

INSERT INTO reviews (appointment_id, professional_id, rating, body)
SELECT a.id, a.professional_id, 1 + a.id % 5, 'Review of appointment ' || a.id
  FROM appointments a
 WHERE a.status = 'done'
 LIMIT 600;

COMMIT;
