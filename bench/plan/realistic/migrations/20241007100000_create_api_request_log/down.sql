DROP TABLE api_request_log;
