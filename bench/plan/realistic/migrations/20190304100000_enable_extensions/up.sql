-- gen_random_uuid() for public ids, citext for case-insensitive emails.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
