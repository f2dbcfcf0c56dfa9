0001_bad.sql
CREATE TABLE "tÿ" (a text DEFAULT 'café');
