0003_u.sql
CREATE TABLE "café" ("été" text DEFAULT '☃');
