0003_x.up.sql
-- name: MS-CON-08 fail
-- description: CREATE TABLE REFERENCES takes ShareRowExclusiveLock on the referenced table
-- group: constraints
SET lock_timeout = '2s';
CREATE TABLE reviews_v2 (id bigint PRIMARY KEY, professional_id bigint REFERENCES professionals (id));
CREATE INDEX reviews_v2_professional_id_idx ON reviews_v2 (professional_id);
