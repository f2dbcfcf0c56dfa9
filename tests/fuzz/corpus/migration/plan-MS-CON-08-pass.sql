0003_x.down.sql
-- name: MS-CON-08 pass
-- description: the referenced table is created in the same migration
-- group: constraints
SET lock_timeout = '2s';
CREATE TABLE specialties (id bigint PRIMARY KEY, name text);
CREATE TABLE professional_specialties (specialty_id bigint REFERENCES specialties (id));
CREATE INDEX professional_specialties_specialty_id_idx ON professional_specialties (specialty_id);
