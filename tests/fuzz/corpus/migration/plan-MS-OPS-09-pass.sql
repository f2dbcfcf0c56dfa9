0003_x.up.sql
-- name: MS-OPS-09 pass
-- description: the foreign key column is indexed
-- group: operations
SET lock_timeout = '2s';
CREATE TABLE favourites (id bigint PRIMARY KEY, professional_id bigint);
CREATE INDEX favourites_professional_id_idx ON favourites (professional_id);
ALTER TABLE favourites ADD CONSTRAINT favourites_professional_fkey FOREIGN KEY (professional_id) REFERENCES professionals (id) NOT VALID;
