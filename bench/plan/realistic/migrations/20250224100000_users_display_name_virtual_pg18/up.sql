-- PostgreSQL 18 virtual generated column: computed on read, nothing stored, no rewrite.
ALTER TABLE users ADD COLUMN display_name text GENERATED ALWAYS AS (coalesce(nullif(full_name, ''), split_part(email::text, '@', 1))) VIRTUAL;
