ALTER TABLE projects ADD COLUMN visibility text NOT NULL DEFAULT 'account'
    CHECK (visibility IN ('private', 'account', 'public'));
