DELETE FROM professionals WHERE id > 1;
