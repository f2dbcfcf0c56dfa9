-- color moves into settings; the old column stays until the next release.
UPDATE projects SET settings = settings || jsonb_build_object('color', color) WHERE color IS NOT NULL;
