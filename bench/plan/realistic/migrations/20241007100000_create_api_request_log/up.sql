CREATE TABLE api_request_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    api_token_id integer REFERENCES api_tokens (id) ON DELETE SET NULL,
    method text NOT NULL,
    path text NOT NULL,
    status smallint NOT NULL,
    duration_ms integer NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, requested_at)
) PARTITION BY RANGE (requested_at);
CREATE TABLE api_request_log_2024_10 PARTITION OF api_request_log FOR VALUES FROM ('2024-10-01') TO ('2024-11-01');
CREATE TABLE api_request_log_2024_11 PARTITION OF api_request_log FOR VALUES FROM ('2024-11-01') TO ('2024-12-01');
CREATE TABLE api_request_log_2024_12 PARTITION OF api_request_log FOR VALUES FROM ('2024-12-01') TO ('2025-01-01');
