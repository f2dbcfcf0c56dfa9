V2__add.sql
-- name: MS-OPS-09 fail
-- description: a foreign key without an index on its column
-- group: operations
SET lock_timeout = '2s';
CREATE TABLE favourites (id bigint PRIMARY KEY, professional_id bigint);
ALTER TABLE favourites ADD CONSTRAINT favourites_professional_fkey FOREIGN KEY (professional_id) REFERENCES professionals (id) NOT VALID;
