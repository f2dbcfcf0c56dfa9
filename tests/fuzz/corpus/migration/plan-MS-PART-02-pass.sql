V2__add.sql
-- name: MS-PART-02 pass
-- description: attaching a partition created in the same migration
-- group: partitions
SET lock_timeout = '2s';
CREATE TABLE visits_2028 (id bigint, visited_on date);
ALTER TABLE visits ATTACH PARTITION visits_2028 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
