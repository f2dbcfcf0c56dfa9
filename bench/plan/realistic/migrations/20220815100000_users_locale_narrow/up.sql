-- Locales are 'en', 'de', 'pt-BR': five characters are enough.
ALTER TABLE users ALTER COLUMN locale TYPE varchar(5);
