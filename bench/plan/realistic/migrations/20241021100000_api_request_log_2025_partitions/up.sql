-- Partitions made as plain tables (already shaped, with the CHECK matching the bound), then
-- attached: ATTACH skips the scan and takes only ShareUpdateExclusiveLock on the parent.
CREATE TABLE api_request_log_2025_q1 (LIKE api_request_log INCLUDING DEFAULTS);
ALTER TABLE api_request_log_2025_q1 ADD CONSTRAINT api_request_log_2025_q1_bound
    CHECK (requested_at >= '2025-01-01' AND requested_at < '2025-04-01');
ALTER TABLE api_request_log ATTACH PARTITION api_request_log_2025_q1
    FOR VALUES FROM ('2025-01-01') TO ('2025-04-01');
