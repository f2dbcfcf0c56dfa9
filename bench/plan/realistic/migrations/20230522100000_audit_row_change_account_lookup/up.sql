-- tasks have no account_id: look it up through the project.
CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    v_account integer;
BEGIN
    v_account := (v_row ->> 'account_id')::integer;
    IF v_account IS NULL AND TG_TABLE_NAME = 'tasks' THEN
        SELECT account_id INTO v_account FROM projects WHERE id = (v_row ->> 'project_id')::bigint;
    END IF;
    INSERT INTO audit_events (account_id, actor_id, action, subject_type, subject_id, changes)
    VALUES (COALESCE(v_account, 0),
            nullif(current_setting('app.user_id', true), '')::integer,
            lower(TG_OP), TG_TABLE_NAME, (v_row ->> 'id')::bigint, v_row);
    RETURN NULL;
END;
$$;
