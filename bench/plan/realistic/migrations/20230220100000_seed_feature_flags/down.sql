DELETE FROM feature_flags WHERE key IN ('timeline', 'ai_summary');
