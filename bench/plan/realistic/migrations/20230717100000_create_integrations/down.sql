DROP TABLE integrations;
DROP TYPE integration_kind;
