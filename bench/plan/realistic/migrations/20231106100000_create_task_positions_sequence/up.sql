CREATE SEQUENCE task_position_seq AS bigint;
ALTER TABLE tasks ALTER COLUMN position SET DEFAULT nextval('task_position_seq');
