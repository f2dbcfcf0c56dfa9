CREATE OR REPLACE VIEW patient_count AS SELECT count(*) AS n FROM patients;
