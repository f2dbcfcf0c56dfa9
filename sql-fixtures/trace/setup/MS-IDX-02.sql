CREATE INDEX professionals_city_idx ON professionals (city);
