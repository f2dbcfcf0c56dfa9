-- One statement instead of the batch job: "it's only notifications".
UPDATE notifications SET id_big = id WHERE id_big IS NULL;
