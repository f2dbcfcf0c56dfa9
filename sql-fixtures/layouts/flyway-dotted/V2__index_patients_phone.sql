CREATE INDEX patients_phone_idx ON patients (phone);
