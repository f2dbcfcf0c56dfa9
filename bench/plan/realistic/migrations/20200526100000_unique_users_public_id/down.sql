DROP INDEX users_public_id_key;
