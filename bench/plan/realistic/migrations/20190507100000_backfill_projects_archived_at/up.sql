-- Few projects are archived: one statement is fine.
UPDATE projects SET archived_at = updated_at WHERE archived AND archived_at IS NULL;
