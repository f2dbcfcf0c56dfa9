UPDATE comments SET id_big = id WHERE id_big IS NULL AND id BETWEEN 1 AND 1000000;
