-- Every project gets an owner; the foreign key is added NOT VALID and validated later.
SET lock_timeout = '3s';
ALTER TABLE projects ADD COLUMN owner_id integer;
ALTER TABLE projects ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID;
