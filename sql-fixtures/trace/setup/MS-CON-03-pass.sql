DELETE FROM professionals WHERE id <> (SELECT min(id) FROM professionals);
