0001_create.sql
-- migsafe:phse expand
CREATE TABLE patients (id bigint PRIMARY KEY);
