-- The parent is partitioned: no CONCURRENTLY. It locks every partition against writes.
CREATE INDEX api_request_log_api_token_id_idx ON api_request_log (api_token_id, requested_at);
