CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_account integer;
BEGIN
    v_account := COALESCE((to_jsonb(NEW) ->> 'account_id')::integer,
                          (to_jsonb(OLD) ->> 'account_id')::integer, 0);
    INSERT INTO audit_events (account_id, actor_id, action, subject_type, subject_id, changes)
    VALUES (v_account,
            nullif(current_setting('app.user_id', true), '')::integer,
            lower(TG_OP),
            TG_TABLE_NAME,
            COALESCE(NEW.id, OLD.id),
            CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END);
    RETURN NULL;
END;
$$;
CREATE TRIGGER projects_audit AFTER INSERT OR UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
CREATE TRIGGER memberships_audit AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
