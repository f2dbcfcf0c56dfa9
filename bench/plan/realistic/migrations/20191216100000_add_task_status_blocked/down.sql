-- PostgreSQL cannot drop an enum value; leave it.
SELECT 1;
