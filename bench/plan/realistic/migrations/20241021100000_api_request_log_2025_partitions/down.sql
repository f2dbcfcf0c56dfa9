ALTER TABLE api_request_log DETACH PARTITION api_request_log_2025_q1;
DROP TABLE api_request_log_2025_q1;
