CREATE TABLE account_usage_daily (
    account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day date NOT NULL,
    metric text NOT NULL,
    quantity bigint NOT NULL,
    PRIMARY KEY (account_id, day, metric)
);
