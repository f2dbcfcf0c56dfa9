UPDATE projects SET public_id = gen_random_uuid() WHERE public_id IS NULL AND id <= 50000;
