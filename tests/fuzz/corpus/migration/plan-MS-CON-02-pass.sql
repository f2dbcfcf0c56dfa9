V2__add.sql
-- name: MS-CON-02 pass
-- description: PRIMARY KEY USING INDEX an index built concurrently earlier
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE clinics ADD CONSTRAINT clinics_pkey PRIMARY KEY USING INDEX clinics_id_key;
