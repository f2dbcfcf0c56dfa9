0001_create.sql
-- name: MS-PART-02 fail
-- description: ATTACH PARTITION scans the partition to prove its bound
-- group: partitions
SET lock_timeout = '2s';
ALTER TABLE visits ATTACH PARTITION visits_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
