0001_create.sql
DROP TABLE patients;
