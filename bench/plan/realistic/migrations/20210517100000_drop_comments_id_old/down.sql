ALTER TABLE comments ADD COLUMN id_old integer;
