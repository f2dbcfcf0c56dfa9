ALTER TABLE notifications ALTER COLUMN payload TYPE json USING payload::json;
