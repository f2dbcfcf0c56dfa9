INSERT INTO feature_flags (key, description) VALUES
    ('timeline', 'Timeline view for projects'),
    ('ai_summary', 'Summaries of long comment threads')
ON CONFLICT (key) DO NOTHING;
