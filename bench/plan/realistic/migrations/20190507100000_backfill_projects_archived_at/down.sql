UPDATE projects SET archived_at = NULL;
