0004_c.sql
/* a /* nested */ comment */ ; ; -- x
ALTER TABLE t ADD COLUMN b int DEFAULT now();
