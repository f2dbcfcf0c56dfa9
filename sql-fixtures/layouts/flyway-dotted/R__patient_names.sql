CREATE OR REPLACE VIEW patient_names AS SELECT id, name FROM patients;
