ALTER TYPE integration_kind ADD VALUE 'jira' AFTER 'gitlab';
