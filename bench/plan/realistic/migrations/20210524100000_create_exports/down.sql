DROP TABLE exports;
DROP TYPE export_state;
